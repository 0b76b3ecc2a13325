using System.Buffers.Binary;

namespace StoFunctions.Ethereum;

/// <summary>
/// Writes RLP into a caller-sized buffer (size it with the <c>Rlp.LengthOf…</c> methods) without allocating.
/// </summary>
public ref struct RlpWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    /// <summary>Writes into <paramref name="destination"/> from its start.</summary>
    public RlpWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    /// <summary>Writes a byte string.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80)
        {
            _destination[_position++] = bytes[0];
            return;
        }

        WriteHeader(0x80, bytes.Length);
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }

    /// <summary>Writes an integer as its minimal big-endian byte string.</summary>
    public void WriteUInt256(UInt256 value)
    {
        Span<byte> bytes = stackalloc byte[UInt256.Size];
        int length = value.WriteBigEndianTrimmed(bytes);
        WriteBytes(bytes[..length]);
    }

    /// <summary>Writes a 64-bit integer as its minimal big-endian byte string.</summary>
    public void WriteUInt64(ulong value)
    {
        if (value < 0x80)
        {
            _destination[_position++] = value == 0 ? (byte)0x80 : (byte)value;
            return;
        }

        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        WriteBytes(bytes[(System.Numerics.BitOperations.LeadingZeroCount(value) / 8)..]);
    }

    /// <summary>Writes an address as a 20-byte string.</summary>
    public void WriteAddress(Address address)
    {
        _destination[_position++] = 0x80 + Address.Size;
        address.CopyTo(_destination[_position..]);
        _position += Address.Size;
    }

    /// <summary>Writes a 32-byte hash as a byte string.</summary>
    public void WriteHash(Hash32 hash)
    {
        _destination[_position++] = 0x80 + Hash32.Size;
        hash.CopyTo(_destination[_position..]);
        _position += Hash32.Size;
    }

    /// <summary>Writes the header of a list whose items (written next) total <paramref name="payloadLength"/> bytes.</summary>
    public void WriteListHeader(int payloadLength) => WriteHeader(0xC0, payloadLength);

    /// <summary>Copies bytes that are already RLP-encoded.</summary>
    public void WriteEncoded(scoped ReadOnlySpan<byte> encoded)
    {
        encoded.CopyTo(_destination[_position..]);
        _position += encoded.Length;
    }

    /// <summary>Writes a tree of items.</summary>
    public void WriteItem(RlpItem item)
    {
        if (!item.IsList)
        {
            WriteBytes(item.Bytes);
            return;
        }

        WriteListHeader(Rlp.PayloadLengthOf(item));
        foreach (RlpItem child in item.Items)
        {
            WriteItem(child);
        }
    }

    private void WriteHeader(byte offset, int payloadLength)
    {
        if (payloadLength < 56)
        {
            _destination[_position++] = (byte)(offset + payloadLength);
            return;
        }

        int lengthOfLength = 4 - (System.Numerics.BitOperations.LeadingZeroCount((uint)payloadLength) / 8);
        _destination[_position++] = (byte)(offset + 55 + lengthOfLength);
        for (int i = lengthOfLength - 1; i >= 0; i--)
        {
            _destination[_position++] = (byte)(payloadLength >> (8 * i));
        }
    }
}
