using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace StoFunctions.Ethereum.Abi;

/// <summary>Conversions from the C# value model to ABI words, with range and shape checks.</summary>
internal static partial class AbiEncoder
{
    private static readonly BigInteger[] s_intMin = Enumerable.Range(1, 32).Select(n => -(BigInteger.One << (n * 8 - 1))).ToArray();
    private static readonly BigInteger[] s_intMax = Enumerable.Range(1, 32).Select(n => (BigInteger.One << (n * 8 - 1)) - 1).ToArray();

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
