using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace StoFunctions.Ethereum;

/// <summary>
/// A 256-bit unsigned integer (Solidity <c>uint256</c>): token amounts, wei, gas, nonces. Arithmetic is checked:
/// results outside 0 … 2^256−1 throw <see cref="OverflowException"/> instead of wrapping, because a silently
/// wrapped amount is a wrong payment.
/// </summary>
public readonly partial struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>, IComparable
{
    /// <summary>Size of the big-endian encoding in bytes.</summary>
    public const int Size = 32;

    // Little-endian 64-bit limbs: _u0 is the least significant.
    private readonly ulong _u0;
    private readonly ulong _u1;
    private readonly ulong _u2;
    private readonly ulong _u3;

    /// <summary>Creates a value from four 64-bit limbs, most significant first.</summary>
    public UInt256(ulong u3, ulong u2, ulong u1, ulong u0)
    {
        _u0 = u0;
        _u1 = u1;
        _u2 = u2;
        _u3 = u3;
    }

    /// <summary>0.</summary>
    public static UInt256 Zero => default;

    /// <summary>1.</summary>
    public static UInt256 One => new(0, 0, 0, 1);

    /// <summary>2^256 − 1.</summary>
    public static UInt256 MaxValue => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>Whether the value is 0.</summary>
    public bool IsZero => (_u0 | _u1 | _u2 | _u3) == 0;

    /// <summary>Whether the value fits in a <see cref="ulong"/>.</summary>
    public bool FitsInUInt64 => (_u1 | _u2 | _u3) == 0;

    /// <summary>Number of significant bits (0 for zero).</summary>
    public int BitLength =>
        _u3 != 0 ? 256 - BitOperations.LeadingZeroCount(_u3)
        : _u2 != 0 ? 192 - BitOperations.LeadingZeroCount(_u2)
        : _u1 != 0 ? 128 - BitOperations.LeadingZeroCount(_u1)
        : 64 - BitOperations.LeadingZeroCount(_u0);

    /// <summary>Number of bytes in the minimal big-endian encoding (0 for zero).</summary>
    public int ByteLength => (BitLength + 7) / 8;

    /// <summary>Reads up to 32 big-endian bytes (leading zeros allowed; empty is 0).</summary>
    /// <exception cref="ArgumentException">More than 32 bytes.</exception>
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Size)
        {
            throw new ArgumentException($"A UInt256 is at most {Size} bytes; got {bytes.Length}.", nameof(bytes));
        }

        Span<byte> padded = stackalloc byte[Size];
        padded.Clear();
        bytes.CopyTo(padded[(Size - bytes.Length)..]);
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(padded),
            BinaryPrimitives.ReadUInt64BigEndian(padded[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(padded[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(padded[24..]));
    }

    /// <summary>Writes the value as exactly 32 big-endian bytes (an ABI word).</summary>
    public void WriteBigEndian(Span<byte> destination32)
    {
        if (destination32.Length < Size)
        {
            throw new ArgumentException($"Destination must hold {Size} bytes but has {destination32.Length}.", nameof(destination32));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination32, _u3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[8..], _u2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[16..], _u1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[24..], _u0);
    }

    /// <summary>Writes the minimal big-endian encoding (no leading zeros; nothing for 0) and returns its length.</summary>
    public int WriteBigEndianTrimmed(Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[Size];
        WriteBigEndian(full);
        int length = ByteLength;
        full[(Size - length)..].CopyTo(destination);
        return length;
    }

    /// <summary>The minimal big-endian encoding: no leading zero bytes, and empty for 0 (RLP's integer form).</summary>
    public byte[] ToBigEndianTrimmed()
    {
        var bytes = new byte[ByteLength];
        WriteBigEndianTrimmed(bytes);
        return bytes;
    }

    /// <summary>The 32-byte big-endian encoding.</summary>
    public byte[] ToBigEndian()
    {
        var bytes = new byte[Size];
        WriteBigEndian(bytes);
        return bytes;
    }

    /// <summary>JSON-RPC quantity form: lowercase hex without leading zeros, <c>0x0</c> for zero.</summary>
    public string ToHexQuantity()
    {
        if (IsZero)
        {
            return "0x0";
        }

        Span<byte> bytes = stackalloc byte[Size];
        int length = WriteBigEndianTrimmed(bytes);
        string hex = Hex.EncodeNoPrefix(bytes[..length]);
        return hex[0] == '0' ? string.Concat("0x", hex.AsSpan(1)) : string.Concat("0x", hex);
    }

    /// <summary>Decimal digits.</summary>
    public override string ToString()
    {
        if (FitsInUInt64)
        {
            return _u0.ToString(CultureInfo.InvariantCulture);
        }

        // Peel off 19 decimal digits at a time (10^19 is the largest power of ten below 2^64).
        const ulong chunk = 10_000_000_000_000_000_000UL;
        Span<char> buffer = stackalloc char[80];
        int position = buffer.Length;
        UInt256 value = this;
        while (!value.FitsInUInt64)
        {
            value = DivRem(value, chunk, out ulong remainder);
            for (int i = 0; i < 19; i++)
            {
                buffer[--position] = (char)('0' + (int)(remainder % 10));
                remainder /= 10;
            }
        }

        ulong head = value._u0;
        do
        {
            buffer[--position] = (char)('0' + (int)(head % 10));
            head /= 10;
        }
        while (head != 0);

        return new string(buffer[position..]);
    }

    /// <inheritdoc />
    public bool Equals(UInt256 other) => _u0 == other._u0 && _u1 == other._u1 && _u2 == other._u2 && _u3 == other._u3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_u0, _u1, _u2, _u3);

    /// <inheritdoc />
    public int CompareTo(UInt256 other)
    {
        if (_u3 != other._u3)
        {
            return _u3 < other._u3 ? -1 : 1;
        }

        if (_u2 != other._u2)
        {
            return _u2 < other._u2 ? -1 : 1;
        }

        if (_u1 != other._u1)
        {
            return _u1 < other._u1 ? -1 : 1;
        }

        return _u0.CompareTo(other._u0);
    }

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        UInt256 other => CompareTo(other),
        _ => throw new ArgumentException($"Cannot compare a UInt256 with {obj.GetType().Name}.", nameof(obj)),
    };

    /// <summary>Divides by a 64-bit divisor, returning the quotient and the remainder.</summary>
    internal static UInt256 DivRem(UInt256 value, ulong divisor, out ulong remainder)
    {
        UInt128 r = 0;
        ulong q3 = Step(value._u3, ref r, divisor);
        ulong q2 = Step(value._u2, ref r, divisor);
        ulong q1 = Step(value._u1, ref r, divisor);
        ulong q0 = Step(value._u0, ref r, divisor);
        remainder = (ulong)r;
        return new UInt256(q3, q2, q1, q0);

        static ulong Step(ulong limb, ref UInt128 rem, ulong d)
        {
            UInt128 current = (rem << 64) | limb;
            ulong q = (ulong)(current / d);
            rem = current - (UInt128)q * d;
            return q;
        }
    }

    internal ulong Limb(int index) => index switch
    {
        0 => _u0,
        1 => _u1,
        2 => _u2,
        3 => _u3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
