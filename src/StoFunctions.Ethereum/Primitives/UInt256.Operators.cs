using System.Numerics;

namespace StoFunctions.Ethereum;

public readonly partial struct UInt256
{
    private static readonly BigInteger s_maxBig = (BigInteger.One << 256) - 1;

    /// <summary>Widens a <see cref="ulong"/>.</summary>
    public static implicit operator UInt256(ulong value) => new(0, 0, 0, value);

    /// <summary>Widens a <see cref="uint"/>.</summary>
    public static implicit operator UInt256(uint value) => new(0, 0, 0, value);

    /// <summary>Converts to <see cref="BigInteger"/> (always exact).</summary>
    public static implicit operator BigInteger(UInt256 value)
    {
        if (value.FitsInUInt64)
        {
            return value._u0;
        }

        Span<byte> bytes = stackalloc byte[Size];
        value.WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Converts from <see cref="BigInteger"/>.</summary>
    /// <exception cref="OverflowException">The value is negative or above 2^256 − 1.</exception>
    public static explicit operator UInt256(BigInteger value)
    {
        if (value.Sign < 0 || value > s_maxBig)
        {
            throw new OverflowException($"{value} is outside the uint256 range 0 … 2^256-1.");
        }

        Span<byte> bytes = stackalloc byte[Size + 1];
        value.TryWriteBytes(bytes, out int written, isUnsigned: true, isBigEndian: true);
        return FromBigEndian(bytes[..written]);
    }

    /// <summary>Narrows to <see cref="ulong"/>.</summary>
    /// <exception cref="OverflowException">The value does not fit in 64 bits.</exception>
    public static explicit operator ulong(UInt256 value) =>
        value.FitsInUInt64 ? value._u0 : throw new OverflowException($"{value} does not fit in 64 bits (max {ulong.MaxValue}).");

    /// <summary>Checked addition.</summary>
    /// <exception cref="OverflowException">The sum exceeds 2^256 − 1.</exception>
    public static UInt256 operator +(UInt256 left, UInt256 right)
    {
        ulong r0 = left._u0 + right._u0;
        ulong carry = r0 < left._u0 ? 1UL : 0UL;
        ulong r1 = AddWithCarry(left._u1, right._u1, ref carry);
        ulong r2 = AddWithCarry(left._u2, right._u2, ref carry);
        ulong r3 = AddWithCarry(left._u3, right._u3, ref carry);
        if (carry != 0)
        {
            throw new OverflowException($"uint256 overflow: {left} + {right} exceeds 2^256-1.");
        }

        return new UInt256(r3, r2, r1, r0);
    }

    /// <summary>Checked subtraction.</summary>
    /// <exception cref="OverflowException">The result would be negative.</exception>
    public static UInt256 operator -(UInt256 left, UInt256 right)
    {
        if (left < right)
        {
            throw new OverflowException($"uint256 underflow: {left} - {right} is negative.");
        }

        ulong r0 = left._u0 - right._u0;
        ulong borrow = left._u0 < right._u0 ? 1UL : 0UL;
        ulong r1 = SubWithBorrow(left._u1, right._u1, ref borrow);
        ulong r2 = SubWithBorrow(left._u2, right._u2, ref borrow);
        ulong r3 = SubWithBorrow(left._u3, right._u3, ref borrow);
        return new UInt256(r3, r2, r1, r0);
    }

    /// <summary>Checked multiplication.</summary>
    /// <exception cref="OverflowException">The product exceeds 2^256 − 1.</exception>
    public static UInt256 operator *(UInt256 left, UInt256 right) =>
        TryMultiply(left, right, out UInt256 product)
            ? product
            : throw new OverflowException($"uint256 overflow: {left} * {right} exceeds 2^256-1.");

    /// <summary>Multiplies without throwing; returns false when the product exceeds 2^256 − 1.</summary>
    public static bool TryMultiply(UInt256 left, UInt256 right, out UInt256 product)
    {
        product = default;
        if (left.BitLength + right.BitLength > 257)
        {
            return false;
        }

        Span<ulong> a = [left._u0, left._u1, left._u2, left._u3];
        Span<ulong> b = [right._u0, right._u1, right._u2, right._u3];
        Span<ulong> wide = stackalloc ulong[8];
        wide.Clear();
        for (int i = 0; i < 4; i++)
        {
            if (a[i] == 0)
            {
                continue;
            }

            ulong carry = 0;
            for (int j = 0; j < 4; j++)
            {
                UInt128 t = (UInt128)a[i] * b[j] + wide[i + j] + carry;
                wide[i + j] = (ulong)t;
                carry = (ulong)(t >> 64);
            }

            wide[i + 4] = carry;
        }

        if ((wide[4] | wide[5] | wide[6] | wide[7]) != 0)
        {
            return false;
        }

        product = new UInt256(wide[3], wide[2], wide[1], wide[0]);
        return true;
    }

    /// <summary>Integer division (truncating).</summary>
    /// <exception cref="DivideByZeroException"><paramref name="right"/> is 0.</exception>
    public static UInt256 operator /(UInt256 left, UInt256 right)
    {
        if (right.IsZero)
        {
            throw new DivideByZeroException($"uint256 division of {left} by zero.");
        }

        if (right.FitsInUInt64)
        {
            return DivRem(left, right._u0, out _);
        }

        return (UInt256)BigInteger.Divide(left, right);
    }

    /// <summary>Remainder of integer division.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="right"/> is 0.</exception>
    public static UInt256 operator %(UInt256 left, UInt256 right)
    {
        if (right.IsZero)
        {
            throw new DivideByZeroException($"uint256 remainder of {left} by zero.");
        }

        if (right.FitsInUInt64)
        {
            DivRem(left, right._u0, out ulong remainder);
            return remainder;
        }

        return (UInt256)BigInteger.Remainder(left, right);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(UInt256 left, UInt256 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(UInt256 left, UInt256 right) => !left.Equals(right);

    /// <summary>Less than.</summary>
    public static bool operator <(UInt256 left, UInt256 right) => left.CompareTo(right) < 0;

    /// <summary>Greater than.</summary>
    public static bool operator >(UInt256 left, UInt256 right) => left.CompareTo(right) > 0;

    /// <summary>Less than or equal.</summary>
    public static bool operator <=(UInt256 left, UInt256 right) => left.CompareTo(right) <= 0;

    /// <summary>Greater than or equal.</summary>
    public static bool operator >=(UInt256 left, UInt256 right) => left.CompareTo(right) >= 0;

    private static ulong AddWithCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong sum = a + b;
        ulong c1 = sum < a ? 1UL : 0UL;
        ulong result = sum + carry;
        ulong c2 = result < sum ? 1UL : 0UL;
        carry = c1 | c2;
        return result;
    }

    private static ulong SubWithBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong diff = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong result = diff - borrow;
        ulong b2 = diff < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return result;
    }
}
