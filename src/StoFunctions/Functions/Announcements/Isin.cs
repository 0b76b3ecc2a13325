using System.Diagnostics.CodeAnalysis;
using System.Text;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.Announcements;

/// <summary>
/// ISO 6166 International Securities Identification Numbers: two letters (ISO 3166 country), nine alphanumerics
/// (the national number) and a check digit — the Luhn (mod 10) digit over the code with letters expanded to
/// two-digit numbers A=10 … Z=35.
/// </summary>
public static class Isin
{
    /// <summary>True when <paramref name="text"/> is a well-formed ISIN with a correct check digit; else an error saying why.</summary>
    public static bool TryValidate(string text, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != 12 || !char.IsAsciiLetterUpper(text[0]) || !char.IsAsciiLetterUpper(text[1]) ||
            !text.AsSpan(2, 9).ToString().All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)) || !char.IsAsciiDigit(text[11]))
        {
            error = $"'{EchoText.Bounded(text)}' is not an ISIN: 2 upper-case letters, 9 upper-case letters or digits, 1 check digit (e.g. US0378331005).";
            return false;
        }

        int expected = CheckDigit(text[..11]);
        if (text[11] - '0' != expected)
        {
            error = $"'{EchoText.Bounded(text)}' has check digit {text[11]} but ISO 6166 gives {expected}; check for a typo.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The check digit of the first eleven characters of an ISIN.</summary>
    public static int CheckDigit(string first11)
    {
        ArgumentNullException.ThrowIfNull(first11);
        var digits = new StringBuilder();
        foreach (char c in first11)
        {
            digits.Append(char.IsAsciiDigit(c) ? (c - '0').ToString(System.Globalization.CultureInfo.InvariantCulture) : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // Luhn: double every second digit counting from the right, the rightmost included (the check digit goes after it).
        int sum = 0;
        bool doubled = true;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return (10 - (sum % 10)) % 10;
    }
}
