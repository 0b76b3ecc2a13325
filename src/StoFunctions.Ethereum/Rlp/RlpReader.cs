using System.Buffers.Binary;

namespace StoFunctions.Ethereum;

/// <summary>
/// A forward-only, allocation-free reader over RLP items with strict canonical checks
/// (<see href="https://ethereum.org/developers/docs/data-structures-and-encoding/rlp/">RLP spec</see>).
/// Positions in errors are absolute offsets in the original input.
/// </summary>
public ref struct RlpReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;

    /// <summary>Reads the items laid end to end in <paramref name="data"/>.</summary>
    public RlpReader(ReadOnlySpan<byte> data)
        : this(data, 0)
    {
    }

    /// <summary>Reads <paramref name="data"/>, reporting error positions offset by <paramref name="baseOffset"/> (its start in an enclosing buffer).</summary>
    public RlpReader(ReadOnlySpan<byte> data, int baseOffset)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>Whether unread items remain.</summary>
    public readonly bool HasMore => _position < _data.Length;

    /// <summary>Absolute byte offset of the next item.</summary>
    public readonly int Position => _baseOffset + _position;

    /// <summary>Whether the next item is a list (false at the end).</summary>
    public readonly bool NextIsList => HasMore && _data[_position] >= 0xC0;

    /// <summary>Reads a byte-string item and returns its payload.</summary>
    /// <param name="field">Name used in error messages.</param>
    /// <exception cref="RlpException">The next item is a list, missing, truncated or non-canonical.</exception>
    public ReadOnlySpan<byte> ReadBytes(string field = "string")
    {
        int start = Position;
        Header header = ReadHeader(field);
        if (header.IsList)
        {
            throw new RlpException($"expected {field} to be a byte string but found a list.", start);
        }

        return Take(header);
    }

    /// <summary>Reads a list item and returns a reader over its items.</summary>
    /// <param name="field">Name used in error messages.</param>
    /// <exception cref="RlpException">The next item is a byte string, missing, truncated or non-canonical.</exception>
    public RlpReader ReadList(string field = "list")
    {
        int start = Position;
        Header header = ReadHeader(field);
        if (!header.IsList)
        {
            throw new RlpException($"expected {field} to be a list but found a byte string.", start);
        }

        int payloadStart = Position;
        return new RlpReader(Take(header), payloadStart);
    }

    /// <summary>Reads the next item whole (header and payload) without interpreting it.</summary>
    public ReadOnlySpan<byte> ReadEncoded(string field = "item")
    {
        int start = _position;
        Header header = ReadHeader(field);
        Take(header);
        return _data[start.._position];
    }

    /// <summary>Reads a canonical integer: no leading zero bytes, at most 32 bytes.</summary>
    public UInt256 ReadUInt256(string field = "integer")
    {
        int start = Position;
        return ToCanonicalUInt256(ReadBytes(field), field, start);
    }

    /// <summary>Reads a canonical integer of at most 64 bits (nonces, gas limits, chain ids).</summary>
    public ulong ReadUInt64(string field = "integer")
    {
        int start = Position;
        ReadOnlySpan<byte> bytes = ReadBytes(field);
        CheckCanonicalInteger(bytes, field, start);
        if (bytes.Length > 8)
        {
            throw new RlpException($"{field} is {bytes.Length} bytes wide; at most 8 bytes (64 bits) are allowed.", start);
        }

        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>Reads the next item into a tree.</summary>
    public RlpItem ReadItem()
    {
        if (!NextIsList)
        {
            return RlpItem.FromOwned(ReadBytes().ToArray());
        }

        RlpReader inner = ReadList();
        var items = new List<RlpItem>();
        while (inner.HasMore)
        {
            items.Add(inner.ReadItem());
        }

        return RlpItem.FromOwned(items.ToArray());
    }

    /// <summary>Throws unless every byte has been read.</summary>
    /// <param name="context">What was being read, for the message.</param>
    public readonly void EnsureEnd(string context = "input")
    {
        if (HasMore)
        {
            throw new RlpException($"{_data.Length - _position} unexpected trailing byte(s) after the end of {context}.", Position);
        }
    }

    internal static UInt256 ToCanonicalUInt256(ReadOnlySpan<byte> bytes, string field, int position)
    {
        CheckCanonicalInteger(bytes, field, position);
        if (bytes.Length > 32)
        {
            throw new RlpException($"{field} is {bytes.Length} bytes wide; at most 32 bytes (256 bits) are allowed.", position);
        }

        return UInt256.FromBigEndian(bytes);
    }

    private static void CheckCanonicalInteger(ReadOnlySpan<byte> bytes, string field, int position)
    {
        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new RlpException($"{field} has a leading zero byte; integers must be minimal big-endian (0 is the empty string 0x80).", position);
        }
    }

    private ReadOnlySpan<byte> Take(Header header)
    {
        ReadOnlySpan<byte> payload = _data.Slice(_position, header.Length);
        _position += header.Length;
        return payload;
    }

    private Header ReadHeader(string field)
    {
        int start = Position;
        if (!HasMore)
        {
            throw new RlpException($"expected {field} but the input ended.", start);
        }

        byte prefix = _data[_position];
        int remaining = _data.Length - _position - 1;
        if (prefix < 0x80)
        {
            // A single byte below 0x80 is its own encoding; leave the position on it so Take reads it.
            return new Header(false, 1);
        }

        _position++;
        if (prefix <= 0xB7 || (prefix >= 0xC0 && prefix <= 0xF7))
        {
            bool isList = prefix >= 0xC0;
            int length = prefix - (isList ? 0xC0 : 0x80);
            if (length > remaining)
            {
                throw new RlpException($"{field} declares {length} payload byte(s) but only {remaining} remain (truncated input).", start);
            }

            if (!isList && length == 1 && _data[_position] < 0x80)
            {
                throw new RlpException(
                    $"{field} is the single byte 0x{_data[_position]:x2} wrapped in a string header 0x81; bytes below 0x80 must encode as themselves.",
                    start);
            }

            return new Header(isList, length);
        }

        bool longList = prefix >= 0xF8;
        int lengthOfLength = prefix - (longList ? 0xF7 : 0xB7);
        if (lengthOfLength > remaining)
        {
            throw new RlpException($"{field} declares a {lengthOfLength}-byte length but only {remaining} byte(s) remain (truncated input).", start);
        }

        ReadOnlySpan<byte> lengthBytes = _data.Slice(_position, lengthOfLength);
        if (lengthBytes[0] == 0)
        {
            throw new RlpException($"{field} has a length prefix with a leading zero byte (non-canonical).", start);
        }

        if (lengthOfLength > 4)
        {
            throw new RlpException($"{field} declares a {lengthOfLength}-byte length, which exceeds the 32-bit limit of this decoder and any real input.", start);
        }

        Span<byte> padded = stackalloc byte[4];
        padded.Clear();
        lengthBytes.CopyTo(padded[(4 - lengthOfLength)..]);
        uint declared = BinaryPrimitives.ReadUInt32BigEndian(padded);
        _position += lengthOfLength;
        remaining -= lengthOfLength;
        if (declared <= 55)
        {
            throw new RlpException(
                $"{field} uses the long-form header for a {declared}-byte payload; payloads under 56 bytes must use the short form.", start);
        }

        if (declared > (uint)remaining)
        {
            throw new RlpException($"{field} declares {declared} payload byte(s) but only {remaining} remain (truncated input).", start);
        }

        return new Header(longList, (int)declared);
    }

    private readonly record struct Header(bool IsList, int Length);
}
