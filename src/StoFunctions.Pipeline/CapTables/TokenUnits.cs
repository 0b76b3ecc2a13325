using System.Globalization;
using System.Numerics;

namespace StoFunctions.Pipeline.CapTables;

/// <summary>Exact decimal strings of raw token amounts (no floating point anywhere).</summary>
public static class TokenUnits
{
    /// <summary><paramref name="raw"/> / 10^<paramref name="decimals"/> with every significant digit, e.g. <c>300.5</c>.</summary>
    public static string Format(BigInteger raw, int decimals)
    {
        string text = Round(raw, decimals, decimals);
        return text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    /// <summary>
    /// <paramref name="raw"/> / 10^<paramref name="decimals"/> rounded half-to-even (as sto did) to exactly
    /// <paramref name="accuracy"/> decimals.
    /// </summary>
    public static string Round(BigInteger raw, int decimals, int accuracy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfNegative(accuracy);
        BigInteger scaled = accuracy >= decimals
            ? raw * BigInteger.Pow(10, accuracy - decimals)
            : DivideHalfEven(raw, BigInteger.Pow(10, decimals - accuracy));
        string sign = scaled.Sign < 0 ? "-" : "";
        string digits = BigInteger.Abs(scaled).ToString(CultureInfo.InvariantCulture).PadLeft(accuracy + 1, '0');
        return accuracy == 0 ? sign + digits : $"{sign}{digits[..^accuracy]}.{digits[^accuracy..]}";
    }

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/> rounded half-to-even.</summary>
    public static BigInteger DivideHalfEven(BigInteger numerator, BigInteger denominator)
    {
        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        int twice = (BigInteger.Abs(remainder) * 2).CompareTo(BigInteger.Abs(denominator));
        if (twice > 0 || (twice == 0 && !quotient.IsEven))
        {
            quotient += (numerator.Sign * denominator.Sign) < 0 ? -1 : 1;
        }

        return quotient;
    }
}
