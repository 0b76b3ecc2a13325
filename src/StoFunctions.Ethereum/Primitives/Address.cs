using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace StoFunctions.Ethereum;

/// <summary>
/// A 20-byte Ethereum account address. Formats as its EIP-55 mixed-case checksum; parsing accepts all-lower
/// and all-upper hex and checks the checksum of mixed-case input
/// (<see href="https://eips.ethereum.org/EIPS/eip-55">EIP-55</see>).
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    /// <summary>Size of an address in bytes.</summary>
    public const int Size = 20;

    // Big-endian bytes 0-7, 8-15 and 16-19: value semantics with no heap allocation per address.
    private readonly ulong _high;
    private readonly ulong _middle;
    private readonly uint _low;

    private Address(ulong high, ulong middle, uint low)
    {
        _high = high;
        _middle = middle;
        _low = low;
    }

    /// <summary>The zero address <c>0x0000…0000</c>.</summary>
    public static Address Zero => default;

    /// <summary>Creates an address from exactly 20 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 20 bytes long.</exception>
    public static Address FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An address is exactly {Size} bytes; got {bytes.Length}.", nameof(bytes));
        }

        return new Address(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    /// <summary>Parses <c>0x</c> followed by 40 hex digits (all-lower, all-upper, or a valid EIP-55 checksum).</summary>
    /// <exception cref="FormatException">The text is not an address, or its mixed-case checksum is wrong.</exception>
    public static Address Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseCore(text, out Address address, out string? error))
        {
            throw new FormatException(error);
        }

        return address;
    }

    /// <summary>Parses like <see cref="Parse"/>; returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Address address)
    {
        if (text is null)
        {
            address = default;
            return false;
        }

        return TryParseCore(text, out address, out _);
    }

    /// <summary>The 20 bytes of the address.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Writes the 20 bytes into the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"Destination must hold {Size} bytes but has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _middle);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _low);
    }

    /// <summary>Whether this is the zero address.</summary>
    public bool IsZero => _high == 0 && _middle == 0 && _low == 0;

    /// <summary>The EIP-55 checksummed form, e.g. <c>0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed</c>.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        Span<char> chars = stackalloc char[2 + 2 * Size];
        chars[0] = '0';
        chars[1] = 'x';
        Hex.Write(bytes, chars[2..]);
        ApplyChecksum(chars[2..]);
        return new string(chars);
    }

    /// <summary>The all-lowercase form with <c>0x</c> prefix (as JSON-RPC nodes return it).</summary>
    public string ToLowerHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Hex.Encode(bytes);
    }

    /// <inheritdoc />
    public bool Equals(Address other) => _high == other._high && _middle == other._middle && _low == other._low;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_high, _middle, _low);

    /// <summary>Orders addresses as unsigned big-endian numbers (the order Solidity and sorted access lists use).</summary>
    public int CompareTo(Address other)
    {
        int c = _high.CompareTo(other._high);
        if (c != 0)
        {
            return c;
        }

        c = _middle.CompareTo(other._middle);
        return c != 0 ? c : _low.CompareTo(other._low);
    }

    /// <summary>Equality of the 20 bytes.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Inequality of the 20 bytes.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>
    /// EIP-55: the i-th hex letter is upper case when the i-th nibble of keccak256(lowercase hex text) is ≥ 8.
    /// </summary>
    private static void ApplyChecksum(Span<char> lowerDigits)
    {
        Span<byte> ascii = stackalloc byte[2 * Size];
        for (int i = 0; i < ascii.Length; i++)
        {
            ascii[i] = (byte)lowerDigits[i];
        }

        Span<byte> hash = stackalloc byte[Keccak256.HashSize];
        Keccak256.Hash(ascii, hash);
        for (int i = 0; i < lowerDigits.Length; i++)
        {
            int nibble = (i & 1) == 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 0xF;
            if (nibble >= 8 && lowerDigits[i] >= 'a')
            {
                lowerDigits[i] = (char)(lowerDigits[i] - 32);
            }
        }
    }

    private static bool TryParseCore(string text, out Address address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (!Hex.HasPrefix(text) || text.Length != 2 + 2 * Size)
        {
            error = $"'{Hex.Shorten(text)}' is not an address: expected 0x followed by {2 * Size} hex digits " +
                    $"but got {(Hex.HasPrefix(text) ? $"{text.Length - 2} digits" : "no 0x prefix")}.";
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (!Hex.TryDecodeDigits(text.AsSpan(2), bytes, 2, text, out error))
        {
            return false;
        }

        address = FromBytes(bytes);
        ReadOnlySpan<char> digits = text.AsSpan(2);
        bool hasLower = digits.IndexOfAnyInRange('a', 'f') >= 0;
        bool hasUpper = digits.IndexOfAnyInRange('A', 'F') >= 0;
        if (hasLower && hasUpper)
        {
            string expected = address.ToString();
            if (!digits.SequenceEqual(expected.AsSpan(2)))
            {
                int position = 2 + digits.CommonPrefixLength(expected.AsSpan(2));
                error = $"Address '{text}' has a wrong EIP-55 checksum (first wrong letter case at position {position}). " +
                        $"The correctly checksummed form is '{expected}'; check that the address was copied correctly, " +
                        "or pass it all-lowercase to skip the checksum.";
                address = default;
                return false;
            }
        }

        error = null;
        return true;
    }
}
