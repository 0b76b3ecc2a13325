namespace StoFunctions.Ethereum;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B). Encoding sizes are computed first so
/// serializers allocate once and write with <see cref="RlpWriter"/>; decoding is strict and canonical.
/// </summary>
public static class Rlp
{
    /// <summary>Encodes a tree of items.</summary>
    public static byte[] Encode(RlpItem item)
    {
        var result = new byte[LengthOf(item)];
        var writer = new RlpWriter(result);
        writer.WriteItem(item);
        return result;
    }

    /// <summary>Encodes one byte string.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        var result = new byte[LengthOfBytes(bytes)];
        new RlpWriter(result).WriteBytes(bytes);
        return result;
    }

    /// <summary>Encodes an integer as its minimal big-endian byte string (0 is <c>0x80</c>).</summary>
    public static byte[] EncodeUInt256(UInt256 value)
    {
        var result = new byte[LengthOfUInt256(value)];
        new RlpWriter(result).WriteUInt256(value);
        return result;
    }

    /// <summary>Wraps already-encoded items in a list header.</summary>
    public static byte[] EncodeList(params byte[][] encodedItems)
    {
        int payload = 0;
        foreach (byte[] item in encodedItems)
        {
            payload += item.Length;
        }

        var result = new byte[LengthOfListHeader(payload) + payload];
        var writer = new RlpWriter(result);
        writer.WriteListHeader(payload);
        foreach (byte[] item in encodedItems)
        {
            writer.WriteEncoded(item);
        }

        return result;
    }

    /// <summary>Decodes exactly one item that spans the whole input.</summary>
    /// <exception cref="RlpException">Malformed, non-canonical, truncated, or followed by trailing bytes.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpItem item = reader.ReadItem();
        reader.EnsureEnd("the top-level item");
        return item;
    }

    /// <summary>Encoded size of <paramref name="item"/>.</summary>
    public static int LengthOf(RlpItem item)
    {
        if (!item.IsList)
        {
            return LengthOfBytes(item.Bytes);
        }

        int payload = PayloadLengthOf(item);
        return LengthOfListHeader(payload) + payload;
    }

    /// <summary>Encoded size of a byte string.</summary>
    public static int LengthOfBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 1 && bytes[0] < 0x80 ? 1 : LengthOfHeader(bytes.Length) + bytes.Length;

    /// <summary>Encoded size of an integer.</summary>
    public static int LengthOfUInt256(UInt256 value)
    {
        int length = value.ByteLength;
        return length == 1 && value.Limb(0) < 0x80 ? 1 : 1 + length;
    }

    /// <summary>Encoded size of a 64-bit integer.</summary>
    public static int LengthOfUInt64(ulong value)
    {
        if (value < 0x80)
        {
            return 1;
        }

        return 1 + ((64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 8);
    }

    /// <summary>Size of a list header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int LengthOfListHeader(int payloadLength) => LengthOfHeader(payloadLength);

    internal static int PayloadLengthOf(RlpItem list)
    {
        int payload = 0;
        foreach (RlpItem child in list.Items)
        {
            payload += LengthOf(child);
        }

        return payload;
    }

    private static int LengthOfHeader(int payloadLength)
    {
        if (payloadLength < 56)
        {
            return 1;
        }

        int bytes = 1;
        while ((payloadLength >>= 8) != 0)
        {
            bytes++;
        }

        return 1 + bytes;
    }
}
