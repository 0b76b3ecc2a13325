using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// Head/tail encoder (https://docs.soliditylang.org/en/latest/abi-spec.html#formal-specification-of-the-encoding).
/// Two passes: <see cref="SequenceSize"/> validates shapes and computes the exact length, then
/// <see cref="WriteSequence"/> fills one buffer, so an encoding costs one allocation.
/// </summary>
internal static class AbiEncoder
{
    private static readonly BigInteger[] s_intMin = Enumerable.Range(1, 32).Select(n => -(BigInteger.One << (n * 8 - 1))).ToArray();
    private static readonly BigInteger[] s_intMax = Enumerable.Range(1, 32).Select(n => (BigInteger.One << (n * 8 - 1)) - 1).ToArray();

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

    /// <summary>
    /// The in-place encoding Solidity hashes for an indexed dynamic event argument: every element padded to
    /// 32 bytes, no offsets and no length words (https://docs.soliditylang.org/en/latest/abi-spec.html#encoding-of-indexed-event-parameters).
    /// </summary>
    public static void WriteTopicPreimage(AbiType type, object? value, List<byte> output)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.Bytes:
                {
                    ReadOnlySpan<byte> bytes = AsBytes(type, value);
                    AppendPadded(output, bytes);
                    return;
                }

            case AbiTypeKind.String:
                AppendPadded(output, s_utf8.GetBytes(AsString(value)));
                return;
            case AbiTypeKind.Array:
                {
                    IList items = AsList(type, value);
                    for (int i = 0; i < items.Count; i++)
                    {
                        try
                        {
                            WriteTopicPreimage(type.ElementType!, items[i], output);
                        }
                        catch (AbiException e)
                        {
                            throw e.Under(Index(i));
                        }
                    }

                    return;
                }

            case AbiTypeKind.Tuple:
                {
                    object?[] items = AsTuple(type, value);
                    for (int i = 0; i < items.Length; i++)
                    {
                        try
                        {
                            WriteTopicPreimage(type.Components[i].Type, items[i], output);
                        }
                        catch (AbiException e)
                        {
                            throw e.Under(Segment(type.Components[i], i));
                        }
                    }

                    return;
                }

            default:
                {
                    Span<byte> word = stackalloc byte[32];
                    WriteValue(type, value, word);
                    foreach (byte b in word)
                    {
                        output.Add(b);
                    }

                    return;
                }
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

    internal static object?[] AsTuple(AbiType type, object? value)
    {
        object?[] items = value switch
        {
            object?[] array => array,
            IList list => ToArray(list),
            ITuple tuple => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToArray(),
            _ => throw WrongValue(type, value, "an object[] (or IList or value tuple) with one item per component"),
        };
        CheckCount(type.Components.Count, items.Length, type);
        return items;
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

    private static void WriteUnsigned(AbiType type, object? value, Span<byte> word)
    {
        switch (value)
        {
            case UInt256 u:
                if (type.Size < 256 && u.BitLength > type.Size)
                {
                    throw OutOfRange(type, u.ToString());
                }

                u.WriteBigEndian(word);
                return;
            case ulong l:
                WriteUnsignedSmall(type, l, word);
                return;
            case uint l:
                WriteUnsignedSmall(type, l, word);
                return;
            case ushort l:
                WriteUnsignedSmall(type, l, word);
                return;
            case byte l:
                WriteUnsignedSmall(type, l, word);
                return;
            case int or long or short or sbyte:
                {
                    long signed = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                    if (signed < 0)
                    {
                        throw OutOfRange(type, signed.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    WriteUnsignedSmall(type, (ulong)signed, word);
                    return;
                }

            case BigInteger big:
                if (big.Sign < 0 || big.GetBitLength() > type.Size)
                {
                    throw OutOfRange(type, big.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                word.Clear();
                big.TryWriteBytes(word[(32 - big.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
                return;
            default:
                throw WrongValue(type, value, "a UInt256, BigInteger or unsigned integer");
        }
    }

    private static void WriteUnsignedSmall(AbiType type, ulong value, Span<byte> word)
    {
        if (type.Size < 64 && value >> type.Size != 0)
        {
            throw OutOfRange(type, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        WriteWord(word, value);
    }

    private static void WriteSigned(AbiType type, object? value, Span<byte> word)
    {
        BigInteger big = value switch
        {
            BigInteger b => b,
            long or int or short or sbyte => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            ulong or uint or ushort or byte => Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            UInt256 u => (BigInteger)u,
            _ => throw WrongValue(type, value, "a BigInteger or signed integer"),
        };
        int index = type.Size / 8 - 1;
        if (big < s_intMin[index] || big > s_intMax[index])
        {
            throw OutOfRange(type, big.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // Two's complement over the whole word: negative values are sign-extended with 0xff.
        word.Fill(big.Sign < 0 ? (byte)0xff : (byte)0);
        int count = big.GetByteCount(isUnsigned: false);
        big.TryWriteBytes(word[(32 - count)..], out _, isUnsigned: false, isBigEndian: true);
    }

    private static Address AsAddress(object? value) => value switch
    {
        Address a => a,
        string s => Address.TryParse(s, out Address parsed)
            ? parsed
            : throw new AbiException($"'{s}' is not an address: expected 0x and 40 hex digits with a valid EIP-55 checksum if mixed case", null, -1),
        _ => throw WrongValue(AbiType.Address, value, "an Address"),
    };

    private static ReadOnlySpan<byte> AsBytes(AbiType type, object? value) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.Span,
        Memory<byte> memory => memory.Span,
        Hash32 hash when type.Kind == AbiTypeKind.FixedBytes => hash.ToArray(),
        _ => throw WrongValue(type, value, "a byte[] (or ReadOnlyMemory<byte>)"),
    };

    private static string AsString(object? value) =>
        value as string ?? throw WrongValue(AbiType.String, value, "a string");

    private static IList AsList(AbiType type, object? value)
    {
        if (value is not IList list || value is byte[] && type.ElementType!.Kind != AbiTypeKind.UInt)
        {
            throw WrongValue(type, value, "an array or list");
        }

        if (type.Length is int length && list.Count != length)
        {
            throw new AbiException($"{type} needs exactly {length} elements but the value has {list.Count}", null, -1);
        }

        return list;
    }

    private static int Utf8Count(string text)
    {
        try
        {
            return s_utf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new AbiException($"the string is not valid UTF-16 (a lone surrogate at index {e.Index}); it cannot be encoded as UTF-8", null, -1);
        }
    }

    private static void AppendPadded(List<byte> output, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            output.Add(b);
        }

        for (int i = bytes.Length; i < Padded(bytes.Length); i++)
        {
            output.Add(0);
        }
    }

    private static object?[] ToArray(IList list)
    {
        var items = new object?[list.Count];
        list.CopyTo(items, 0);
        return items;
    }

    private static void CheckCount(int expected, int actual, AbiType? tuple)
    {
        if (expected != actual)
        {
            string what = tuple is null ? "parameters" : $"components of {tuple}";
            throw new AbiException($"expected {expected} values for the {expected} {what} but got {actual}", null, -1);
        }
    }

    private static AbiException OutOfRange(AbiType type, string value) =>
        new($"{value} does not fit in {type}", null, -1);

    private static AbiException WrongValue(AbiType type, object? value, string expected) =>
        new($"a {type} value must be {expected}, not {(value is null ? "null" : value.GetType().Name)}", null, -1);
}
