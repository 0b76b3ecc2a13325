using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// Strict head/tail decoder. Every word is checked against its type: unused high-order bytes of integers and
/// addresses must be zero (or the sign extension for intN), bools must be 0 or 1, bytesN and dynamic bytes must
/// be zero-padded, offsets and lengths must stay inside the data. A value that Solidity itself would never
/// produce is an error, not a guess, because later layers move money on what this returns.
/// </summary>
internal ref struct AbiDecoder
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _positionBias;

    // Offsets may legally point at the same tail twice, so a crafted encoding could make a decoder build far
    // more values than it has bytes (an "ABI bomb"). Elements decoded are charged against a budget
    // proportional to the input size.
    private long _budget;

    public AbiDecoder(ReadOnlySpan<byte> data, int positionBias = 0)
    {
        _data = data;
        _positionBias = positionBias;
        _budget = 4096 + (long)data.Length * 2;
    }

    public object[] DecodeSequence(IReadOnlyList<AbiParameter> parameters, int start)
    {
        var values = new object[parameters.Count];
        int head = start;
        for (int i = 0; i < parameters.Count; i++)
        {
            AbiType type = parameters[i].Type;
            try
            {
                values[i] = DecodeMember(type, head, start);
            }
            catch (AbiException e)
            {
                throw e.Under(AbiEncoder.Segment(parameters[i], i));
            }

            head += type.StaticSize;
        }

        return values;
    }

    private object DecodeMember(AbiType type, int head, int areaStart)
    {
        if (!type.IsDynamic)
        {
            return DecodeAt(type, head);
        }

        int offset = ReadLength(head, "offset");
        int target = areaStart + offset;
        if (offset > _data.Length - areaStart)
        {
            throw Fail($"the offset {offset} points past the end of the data ({_data.Length} bytes)", head);
        }

        return DecodeAt(type, target);
    }

    private object DecodeAt(AbiType type, int position)
    {
        Charge(1, position);
        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
                {
                    ReadOnlySpan<byte> word = Word(position, type);
                    RequireZero(word[..(32 - type.Size / 8)], position, $"{type} has non-zero bytes above its {type.Size} bits");
                    return UInt256.FromBigEndian(word);
                }

            case AbiTypeKind.Int:
                {
                    ReadOnlySpan<byte> word = Word(position, type);
                    int padding = 32 - type.Size / 8;
                    byte sign = (word[padding] & 0x80) != 0 ? (byte)0xff : (byte)0;
                    if (word[..padding].ContainsAnyExcept(sign))
                    {
                        throw Fail($"{type} is not sign-extended to 32 bytes (the high bytes must all be 0x{sign:x2})", position);
                    }

                    return new BigInteger(word[padding..], isUnsigned: false, isBigEndian: true);
                }

            case AbiTypeKind.Address:
                {
                    ReadOnlySpan<byte> word = Word(position, type);
                    RequireZero(word[..12], position, "an address has non-zero bytes in its 12 padding bytes");
                    return Address.FromBytes(word[12..]);
                }

            case AbiTypeKind.Bool:
                {
                    ReadOnlySpan<byte> word = Word(position, type);
                    if (word[..31].ContainsAnyExcept((byte)0) || word[31] > 1)
                    {
                        throw Fail($"a bool must be the word 0 or 1, not 0x{Convert.ToHexStringLower(word).TrimStart('0')}", position);
                    }

                    return word[31] == 1;
                }

            case AbiTypeKind.FixedBytes:
                {
                    ReadOnlySpan<byte> word = Word(position, type);
                    RequireZero(word[type.Size..], position, $"{type} has non-zero bytes in its right padding");
                    return word[..type.Size].ToArray();
                }

            case AbiTypeKind.Bytes:
                return ReadDynamicBytes(position, type).ToArray();
            case AbiTypeKind.String:
                {
                    ReadOnlySpan<byte> bytes = ReadDynamicBytes(position, type);
                    try
                    {
                        return s_utf8.GetString(bytes);
                    }
                    catch (DecoderFallbackException e)
                    {
                        throw Fail($"the string is not valid UTF-8 (byte {e.Index} of the string)", position + 32);
                    }
                }

            case AbiTypeKind.Array:
                {
                    AbiType element = type.ElementType!;
                    int count;
                    int area = position;
                    if (type.Length is int fixedLength)
                    {
                        count = fixedLength;
                    }
                    else
                    {
                        count = ReadLength(position, "array length");
                        area = position + 32;
                    }

                    long needed = (long)count * element.StaticSize;
                    if (needed > _data.Length - area)
                    {
                        throw Fail($"{type} with {count} elements needs {needed} bytes of heads but only {_data.Length - area} remain", position);
                    }

                    Charge(count, position);
                    var items = new object[count];
                    int head = area;
                    for (int i = 0; i < count; i++)
                    {
                        try
                        {
                            items[i] = DecodeMember(element, head, area);
                        }
                        catch (AbiException e)
                        {
                            throw e.Under(AbiEncoder.Index(i));
                        }

                        head += element.StaticSize;
                    }

                    return items;
                }

            case AbiTypeKind.Tuple:
                if (type.StaticSize > _data.Length - position && !type.IsDynamic)
                {
                    throw Fail($"{type} needs {type.StaticSize} bytes but only {_data.Length - position} remain", position);
                }

                return DecodeSequence(type.Components, position);
            default:
                throw new InvalidOperationException($"Unhandled ABI kind {type.Kind}.");
        }
    }

    private ReadOnlySpan<byte> ReadDynamicBytes(int position, AbiType type)
    {
        int length = ReadLength(position, $"{type} length");
        int start = position + 32;
        int padded = AbiEncoder.Padded(length);
        if (padded > _data.Length - start)
        {
            throw Fail($"{type} of {length} bytes (padded to {padded}) runs past the end of the data ({_data.Length - start} bytes remain)", position);
        }

        RequireZero(_data.Slice(start + length, padded - length), start + length, $"{type} has non-zero bytes in its right padding");
        return _data.Slice(start, length);
    }

    private int ReadLength(int position, string what)
    {
        ReadOnlySpan<byte> word = Word(position, null);
        ulong value = BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        if (word[..24].ContainsAnyExcept((byte)0) || value > int.MaxValue)
        {
            throw Fail($"the {what} 0x{Convert.ToHexStringLower(word).TrimStart('0')} is larger than any data can be", position);
        }

        return (int)value;
    }

    private ReadOnlySpan<byte> Word(int position, AbiType? type)
    {
        if (position > _data.Length - 32)
        {
            string what = type is null ? "a word" : $"a {type} word";
            throw Fail($"the data ends at byte {_data.Length + _positionBias} but {what} needs 32 bytes from here", position);
        }

        return _data.Slice(position, 32);
    }

    private readonly void RequireZero(ReadOnlySpan<byte> bytes, int position, string problem)
    {
        if (bytes.ContainsAnyExcept((byte)0))
        {
            throw Fail(problem, position);
        }
    }

    private void Charge(long units, int position)
    {
        _budget -= units;
        if (_budget < 0)
        {
            throw Fail("the encoding decodes to far more values than its size allows (offsets reuse the same data); refusing it", position);
        }
    }

    private readonly AbiException Fail(string problem, int position) => new(problem, null, position + _positionBias);
}
