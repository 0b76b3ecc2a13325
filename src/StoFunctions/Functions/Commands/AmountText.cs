using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using StoFunctions.Ethereum;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.Commands;

/// <summary>Token amounts as decimal strings in token units ↔ raw integers (10^decimals per unit).</summary>
public static class AmountText
{
    /// <summary>
    /// Parses <c>123</c> or <c>123.45</c> exactly as written: no sign, exponent, thousands separators, surrounding
    /// whitespace (space, tab, no-break space…) or leading zeros (<c>0001</c>; <c>0.5</c> is fine). One spelling
    /// per amount keeps what the client sent, what is stored and what idempotency compares the same.
    /// </summary>
    public static bool TryParse(string text, int decimals, out UInt256 raw, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        raw = UInt256.Zero;
        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            error = $"'{EchoText.Bounded(text)}' has whitespace (space, tab or no-break space) around it; send the digits alone, e.g. \"300.5\".";
            return false;
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? text : text[..dot];
        string fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit) || (dot >= 0 && fraction.Length == 0))
        {
            error = $"'{EchoText.Bounded(text)}' is not a decimal amount; write digits with an optional '.' fraction, e.g. \"300\" or \"300.5\".";
            return false;
        }

        if (whole.Length > 1 && whole[0] == '0')
        {
            error = $"'{EchoText.Bounded(text)}' has leading zeros; write it without them, e.g. \"{whole.TrimStart('0').PadLeft(1, '0')}{(dot < 0 ? "" : "." + fraction)}\".";
            return false;
        }

        if (fraction.Length > decimals)
        {
            error = $"'{EchoText.Bounded(text)}' has {fraction.Length} fraction digits but the token has {decimals} decimals; round it to at most {decimals}.";
            return false;
        }

        if (whole.Length > 80)
        {
            error = $"'{EchoText.Bounded(text)}' is too large for a uint256 token amount.";
            return false;
        }

        BigInteger value = BigInteger.Parse(whole + fraction.PadRight(decimals, '0'), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            raw = (UInt256)value;
        }
        catch (OverflowException)
        {
            error = $"'{EchoText.Bounded(text)}' is too large: the raw amount exceeds 2^256-1.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Formats <paramref name="raw"/> in token units without trailing fraction zeros.</summary>
    public static string Format(UInt256 raw, int decimals)
    {
        string digits = raw.ToString().PadLeft(decimals + 1, '0');
        if (decimals == 0)
        {
            return digits;
        }

        string whole = digits[..^decimals];
        string fraction = digits[^decimals..].TrimEnd('0');
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }
}
