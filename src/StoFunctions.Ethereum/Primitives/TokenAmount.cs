using System.Text;

namespace StoFunctions.Ethereum;

/// <summary>
/// Converts between human token units ("300.5") and the raw integer a token contract stores
/// (300.5 × 10^decimals). Exact decimal arithmetic only: no floating point ever touches an amount.
/// </summary>
public static class TokenAmount
{
    /// <summary>Largest supported <c>decimals</c>: 10^77 is the largest power of ten below 2^256.</summary>
    public const int MaxDecimals = 77;

    /// <summary>Parses a plain decimal number in token units into the raw integer amount.</summary>
    /// <param name="text">Digits with an optional fraction, e.g. <c>300</c>, <c>300.5</c>, <c>0.000001</c>.</param>
    /// <param name="decimals">The token's <c>decimals()</c> (0 … 77).</param>
    /// <exception cref="FormatException">Empty, a sign, an exponent, whitespace, separators, or more fraction digits than <paramref name="decimals"/>.</exception>
    /// <exception cref="OverflowException">The raw amount exceeds 2^256 − 1.</exception>
    public static UInt256 Parse(string text, int decimals)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckDecimals(decimals);
        if (text.Length == 0)
        {
            throw new FormatException("An empty string is not a token amount; write digits such as 300 or 300.5.");
        }

        int dot = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '.' && dot < 0)
            {
                dot = i;
            }
            else if (c is < '0' or > '9')
            {
                string why = c switch
                {
                    '-' or '+' => "signs are not allowed (amounts are never negative)",
                    'e' or 'E' => "exponent notation is not allowed; write all digits",
                    '.' => "a second decimal point is not allowed",
                    ',' or '_' or '\'' => "digit group separators are not allowed",
                    _ when char.IsWhiteSpace(c) => "whitespace is not allowed; trim the value",
                    _ => "only digits and one '.' are allowed",
                };
                throw new FormatException($"Invalid character '{c}' at position {i} in token amount '{Hex.Shorten(text)}': {why}.");
            }
        }

        ReadOnlySpan<char> whole = dot < 0 ? text : text.AsSpan(0, dot);
        ReadOnlySpan<char> fraction = dot < 0 ? [] : text.AsSpan(dot + 1);
        if (whole.IsEmpty || (dot >= 0 && fraction.IsEmpty))
        {
            throw new FormatException($"Token amount '{Hex.Shorten(text)}' needs digits on both sides of the decimal point (write 0.5 or 5, not .5 or 5.).");
        }

        if (fraction.Length > decimals)
        {
            throw new FormatException(
                $"Token amount '{Hex.Shorten(text)}' has {fraction.Length} fraction digits but this token allows at most {decimals} " +
                $"(decimals = {decimals}); round the amount to {decimals} decimal places.");
        }

        UInt256 raw = default;
        foreach (char c in whole)
        {
            raw = Accumulate(raw, c, text);
        }

        foreach (char c in fraction)
        {
            raw = Accumulate(raw, c, text);
        }

        for (int i = fraction.Length; i < decimals; i++)
        {
            raw = Accumulate(raw, '0', text);
        }

        return raw;
    }

    /// <summary>Formats a raw amount in token units, with no trailing fraction zeros and no trailing dot.</summary>
    /// <param name="raw">The raw integer amount.</param>
    /// <param name="decimals">The token's <c>decimals()</c> (0 … 77).</param>
    public static string Format(UInt256 raw, int decimals)
    {
        CheckDecimals(decimals);
        string digits = raw.ToString();
        if (decimals == 0)
        {
            return digits;
        }

        string padded = digits.Length <= decimals ? new string('0', decimals - digits.Length + 1) + digits : digits;
        ReadOnlySpan<char> whole = padded.AsSpan(0, padded.Length - decimals);
        ReadOnlySpan<char> fraction = padded.AsSpan(padded.Length - decimals).TrimEnd('0');
        if (fraction.IsEmpty)
        {
            return whole.ToString();
        }

        return new StringBuilder(whole.Length + 1 + fraction.Length).Append(whole).Append('.').Append(fraction).ToString();
    }

    private static UInt256 Accumulate(UInt256 value, char digit, string text)
    {
        if (!UInt256.TryMultiplyAdd(value, 10, (uint)(digit - '0'), out UInt256 result))
        {
            throw new OverflowException($"Token amount '{Hex.Shorten(text)}' is too large: the raw amount exceeds 2^256-1.");
        }

        return result;
    }

    private static void CheckDecimals(int decimals)
    {
        if (decimals is < 0 or > MaxDecimals)
        {
            throw new ArgumentOutOfRangeException(nameof(decimals), decimals, $"Token decimals must be between 0 and {MaxDecimals}.");
        }
    }
}
