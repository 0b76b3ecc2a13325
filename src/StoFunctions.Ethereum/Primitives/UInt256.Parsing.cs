using System.Diagnostics.CodeAnalysis;

namespace StoFunctions.Ethereum;

public readonly partial struct UInt256
{
    /// <summary>Parses decimal digits, or <c>0x</c>-prefixed hex (at most 64 digits; leading zeros allowed).</summary>
    /// <exception cref="FormatException">Empty, a sign, whitespace or a non-digit character.</exception>
    /// <exception cref="OverflowException">The value exceeds 2^256 − 1.</exception>
    public static UInt256 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out UInt256 value, out string? error, out bool overflow)
            ? value
            : throw (overflow ? new OverflowException(error) : new FormatException(error));
    }

    /// <summary>Parses like <see cref="Parse"/>; returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out UInt256 value)
    {
        if (text is null)
        {
            value = default;
            return false;
        }

        return TryParseCore(text, out value, out _, out _);
    }

    private static bool TryParseCore(string text, out UInt256 value, [NotNullWhen(false)] out string? error, out bool overflow)
    {
        value = default;
        overflow = false;
        if (Hex.HasPrefix(text))
        {
            ReadOnlySpan<char> digits = text.AsSpan(2);
            if (digits.IsEmpty)
            {
                error = $"'{text}' has no hex digits after 0x; write 0x0 for zero.";
                return false;
            }

            for (int i = 0; i < digits.Length; i++)
            {
                if (Hex.DigitValue(digits[i]) < 0)
                {
                    error = $"Invalid hex digit '{digits[i]}' at position {i + 2} in '{Hex.Shorten(text)}'.";
                    return false;
                }
            }

            ReadOnlySpan<char> significant = digits.TrimStart('0');
            if (significant.Length > 64)
            {
                overflow = true;
                error = $"'{Hex.Shorten(text)}' has {significant.Length} significant hex digits; uint256 allows at most 64.";
                return false;
            }

            Span<byte> bytes = stackalloc byte[Size];
            bytes.Clear();
            for (int i = 0; i < significant.Length; i++)
            {
                int nibbleIndex = 64 - significant.Length + i;
                int d = Hex.DigitValue(significant[i]);
                bytes[nibbleIndex >> 1] |= (byte)((nibbleIndex & 1) == 0 ? d << 4 : d);
            }

            value = FromBigEndian(bytes);
            error = null;
            return true;
        }

        if (text.Length == 0)
        {
            error = "Empty text is not a number; expected decimal digits or 0x-prefixed hex.";
            return false;
        }

        UInt256 accumulator = default;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is < '0' or > '9')
            {
                error = $"Invalid character '{c}' at position {i} in '{Hex.Shorten(text)}'; a uint256 is written with decimal digits only (no sign, spaces or separators) or as 0x hex.";
                return false;
            }

            if (!TryMultiplyAdd(accumulator, 10, (uint)(c - '0'), out accumulator))
            {
                overflow = true;
                error = $"'{Hex.Shorten(text)}' exceeds the uint256 maximum 2^256-1 ({MaxValue}).";
                return false;
            }
        }

        value = accumulator;
        error = null;
        return true;
    }

    /// <summary>value * multiplier + addend without throwing; false on overflow.</summary>
    internal static bool TryMultiplyAdd(UInt256 value, ulong multiplier, ulong addend, out UInt256 result)
    {
        UInt128 t0 = (UInt128)value._u0 * multiplier + addend;
        UInt128 t1 = (UInt128)value._u1 * multiplier + (ulong)(t0 >> 64);
        UInt128 t2 = (UInt128)value._u2 * multiplier + (ulong)(t1 >> 64);
        UInt128 t3 = (UInt128)value._u3 * multiplier + (ulong)(t2 >> 64);
        if ((t3 >> 64) != 0)
        {
            result = default;
            return false;
        }

        result = new UInt256((ulong)t3, (ulong)t2, (ulong)t1, (ulong)t0);
        return true;
    }
}
