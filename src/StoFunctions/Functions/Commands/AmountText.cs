using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using StoFunctions.Ethereum;

namespace StoFunctions.Functions.Commands;

/// <summary>Token amounts as decimal strings in token units ↔ raw integers (10^decimals per unit).</summary>
public static class AmountText
{
    /// <summary>Parses <c>123</c> or <c>123.45</c> (no sign, exponent, spaces or thousands separators).</summary>
    public static bool TryParse(string text, int decimals, out UInt256 raw, [NotNullWhen(false)] out string? error)
    {
        raw = UInt256.Zero;
        string trimmed = text.Trim();
        int dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? trimmed : trimmed[..dot];
        string fraction = dot < 0 ? "" : trimmed[(dot + 1)..];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit) || (dot >= 0 && fraction.Length == 0))
        {
            error = $"'{text}' is not a decimal amount; write digits with an optional '.' fraction, e.g. \"300\" or \"300.5\".";
            return false;
        }

        if (fraction.Length > decimals)
        {
            error = $"'{text}' has {fraction.Length} fraction digits but the token has {decimals} decimals; round it to at most {decimals}.";
            return false;
        }

        if (whole.Length > 80)
        {
            error = $"'{text}' is too large for a uint256 token amount.";
            return false;
        }

        BigInteger value = BigInteger.Parse(whole + fraction.PadRight(decimals, '0'), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            raw = (UInt256)value;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large: the raw amount exceeds 2^256-1.";
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
