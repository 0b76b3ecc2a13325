using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace StoFunctions.Ethereum;

/// <summary>A 32-byte hash (transaction hash, block hash, event topic, storage key). Formats as lowercase <c>0x</c> hex.</summary>
public readonly struct Hash32 : IEquatable<Hash32>
{
    /// <summary>Size of the hash in bytes.</summary>
    public const int Size = 32;

    // Big-endian 8-byte words: value semantics with no heap allocation.
    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    private Hash32(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    /// <summary>The all-zero hash.</summary>
    public static Hash32 Zero => default;

    /// <summary>Whether all 32 bytes are zero.</summary>
    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    /// <summary>Creates a hash from exactly 32 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public static Hash32 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A Hash32 is exactly {Size} bytes; got {bytes.Length}.", nameof(bytes));
        }

        return new Hash32(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>Parses exactly 64 hex digits, with or without <c>0x</c>.</summary>
    /// <exception cref="FormatException">The text is not 32 bytes of hex.</exception>
    public static Hash32 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseCore(text, out Hash32 hash, out string? error))
        {
            throw new FormatException(error);
        }

        return hash;
    }

    /// <summary>Parses like <see cref="Parse"/>; returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Hash32 hash)
    {
        if (text is null)
        {
            hash = default;
            return false;
        }

        return TryParseCore(text, out hash, out _);
    }

    /// <summary>The 32 bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Writes the 32 bytes into the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"Destination must hold {Size} bytes but has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>Lowercase hex with <c>0x</c> prefix (66 characters).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Hex.Encode(bytes);
    }

    /// <inheritdoc />
    public bool Equals(Hash32 other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Hash32 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    /// <summary>Equality of the 32 bytes.</summary>
    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    /// <summary>Inequality of the 32 bytes.</summary>
    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);

    private static bool TryParseCore(string text, out Hash32 hash, [NotNullWhen(false)] out string? error)
    {
        hash = default;
        int offset = Hex.HasPrefix(text) ? 2 : 0;
        if (text.Length - offset != 2 * Size)
        {
            error = $"'{Hex.Shorten(text)}' is not a 32-byte hash: expected {2 * Size} hex digits (optionally after 0x) but got {text.Length - offset}.";
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (!Hex.TryDecodeDigits(text.AsSpan(offset), bytes, offset, text, out error))
        {
            return false;
        }

        hash = FromBytes(bytes);
        return true;
    }
}
