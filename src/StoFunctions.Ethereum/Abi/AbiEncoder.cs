using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// Head/tail encoder (https://docs.soliditylang.org/en/latest/abi-spec.html#formal-specification-of-the-encoding).
/// Two passes: <see cref="SequenceSize"/> validates shapes and computes the exact length, then
/// <see cref="WriteSequence"/> fills one buffer, so an encoding costs one allocation.
/// </summary>
internal static partial class AbiEncoder
{

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int SequenceSize(IReadOnlyList<AbiParameter> parameters, ReadOnlySpan<object?> values)
    {
        CheckCount(parameters.Count, values.Length, null);
        int size = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            AbiType type = parameters[i].Type;
            if (!type.IsDynamic && type.Kind is not (AbiTypeKind.Array or AbiTypeKind.Tuple))
            {
                size += 32;
                continue;
            }

            try
            {
                size = checked(size + type.StaticSize + (type.IsDynamic ? ValueSize(type, values[i]) : ShapeCheck(type, values[i])));
            }
            catch (AbiException e)
            {
                throw e.Under(Segment(parameters[i], i));
            }
            catch (OverflowException)
            {
                throw new AbiException("the encoding would exceed 2 GiB", Segment(parameters[i], i), -1);
            }
        }

        return size;
    }

    public static int WriteSequence(IReadOnlyList<AbiParameter> parameters, ReadOnlySpan<object?> values, Span<byte> destination)
    {
        int head = 0;
        int tail = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            tail += parameters[i].Type.StaticSize;
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            AbiType type = parameters[i].Type;
            try
            {
                if (type.IsDynamic)
                {
                    WriteWord(destination.Slice(head, 32), (ulong)tail);
                    tail += WriteValue(type, values[i], destination[tail..]);
                }
                else
                {
                    WriteValue(type, values[i], destination.Slice(head, type.StaticSize));
                }
            }
            catch (AbiException e)
            {
                throw e.Under(Segment(parameters[i], i));
            }

            head += type.StaticSize;
        }

        return tail;
    }

    /// <summary>The size of a value's own encoding: for dynamic types everything written at its tail position.</summary>
    public static int ValueSize(AbiType type, object? value)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.Bytes:
                return 32 + Padded(AsBytes(type, value).Length);
            case AbiTypeKind.String:
                return 32 + Padded(Utf8Count(AsString(value)));
            case AbiTypeKind.Array:
                {
                    IList items = AsList(type, value);
                    AbiType element = type.ElementType!;
                    int size = type.Length is null ? 32 : 0;
                    for (int i = 0; i < items.Count; i++)
                    {
                        try
                        {
                            size = checked(size + element.StaticSize + (element.IsDynamic ? ValueSize(element, items[i]) : ShapeCheck(element, items[i])));
                        }
                        catch (AbiException e)
                        {
                            throw e.Under(Index(i));
                        }
                    }

                    return size;
                }

            case AbiTypeKind.Tuple:
                {
                    object?[] items = AsTuple(type, value);
                    return SequenceSize(type.Components, items);
                }

            default:
                return 32;
        }
    }

    public static int WriteValue(AbiType type, object? value, Span<byte> destination)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
                WriteUnsigned(type, value, destination[..32]);
                return 32;
            case AbiTypeKind.Int:
                WriteSigned(type, value, destination[..32]);
                return 32;
            case AbiTypeKind.Address:
                destination[..12].Clear();
                AsAddress(value).CopyTo(destination.Slice(12, 20));
                return 32;
            case AbiTypeKind.Bool:
                destination[..31].Clear();
                destination[31] = value is bool b ? (b ? (byte)1 : (byte)0) : throw WrongValue(type, value, "a bool");
                return 32;
            case AbiTypeKind.FixedBytes:
                {
                    ReadOnlySpan<byte> bytes = AsBytes(type, value);
                    if (bytes.Length != type.Size)
                    {
                        throw new AbiException($"{type} needs exactly {type.Size} bytes but the value has {bytes.Length}; pad or trim it explicitly", null, -1);
                    }

                    bytes.CopyTo(destination);
                    destination[bytes.Length..32].Clear();
                    return 32;
                }

            case AbiTypeKind.Bytes:
                return WriteDynamicBytes(AsBytes(type, value), destination);
            case AbiTypeKind.String:
                {
                    string text = AsString(value);
                    int length;
                    try
                    {
                        length = s_utf8.GetBytes(text, destination[32..]);
                    }
                    catch (EncoderFallbackException e)
                    {
                        throw new AbiException($"the string is not valid UTF-16 (a lone surrogate at index {e.Index}); it cannot be encoded as UTF-8", null, -1);
                    }

                    WriteWord(destination[..32], (ulong)length);
                    destination.Slice(32 + length, Padded(length) - length).Clear();
                    return 32 + Padded(length);
                }

            case AbiTypeKind.Array:
                {
                    IList items = AsList(type, value);
                    int offset = 0;
                    if (type.Length is null)
                    {
                        WriteWord(destination[..32], (ulong)items.Count);
                        offset = 32;
                    }

                    AbiType element = type.ElementType!;
                    int head = 0;
                    int tail = items.Count * element.StaticSize;
                    Span<byte> area = destination[offset..];
                    for (int i = 0; i < items.Count; i++)
                    {
                        try
                        {
                            if (element.IsDynamic)
                            {
                                WriteWord(area.Slice(head, 32), (ulong)tail);
                                tail += WriteValue(element, items[i], area[tail..]);
                            }
                            else
                            {
                                WriteValue(element, items[i], area.Slice(head, element.StaticSize));
                            }
                        }
                        catch (AbiException e)
                        {
                            throw e.Under(Index(i));
                        }

                        head += element.StaticSize;
                    }

                    return offset + tail;
                }

            case AbiTypeKind.Tuple:
                return WriteSequence(type.Components, AsTuple(type, value), destination);
            default:
                throw new InvalidOperationException($"Unhandled ABI kind {type.Kind}.");
        }
    }

    public static string Segment(AbiParameter parameter, int index) =>
        parameter.Name.Length > 0 ? parameter.Name : Index(index);

    public static string Index(int index) => "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    public static int Padded(int length) => (length + 31) & ~31;

    internal static void WriteWord(Span<byte> word, ulong value)
    {
        word[..24].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(word[24..], value);
    }

    /// <summary>Static tuples and fixed arrays have no tail, but their shape still has to match the type.</summary>
    private static int ShapeCheck(AbiType type, object? value)
    {
        if (type.Kind is AbiTypeKind.Array or AbiTypeKind.Tuple)
        {
            _ = ValueSize(type, value);
        }

        return 0;
    }

    private static int WriteDynamicBytes(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        WriteWord(destination[..32], (ulong)bytes.Length);
        bytes.CopyTo(destination[32..]);
        int padded = Padded(bytes.Length);
        destination.Slice(32 + bytes.Length, padded - bytes.Length).Clear();
        return 32 + padded;
    }
}
