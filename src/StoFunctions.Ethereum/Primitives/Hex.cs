using System.Diagnostics.CodeAnalysis;

namespace StoFunctions.Ethereum;

/// <summary>Hexadecimal text encoding of byte strings as used by Ethereum tooling and JSON-RPC.</summary>
public static class Hex
{
    private const string LowerDigits = "0123456789abcdef";

    /// <summary>Encodes <paramref name="bytes"/> as lowercase hex with a <c>0x</c> prefix (empty input gives <c>"0x"</c>).</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(2 + bytes.Length * 2, bytes, static (chars, source) =>
        {
            chars[0] = '0';
            chars[1] = 'x';
            Write(source, chars[2..]);
        });
    }

    /// <summary>Encodes <paramref name="bytes"/> as lowercase hex without a prefix.</summary>
    public static string EncodeNoPrefix(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Writes lowercase hex digits of <paramref name="bytes"/> into <paramref name="destination"/> (2 chars per byte).</summary>
    public static void Write(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        if (destination.Length < bytes.Length * 2)
        {
            throw new ArgumentException($"Destination needs {bytes.Length * 2} characters but has {destination.Length}.", nameof(destination));
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            destination[2 * i] = LowerDigits[b >> 4];
            destination[2 * i + 1] = LowerDigits[b & 0xF];
        }
    }

    /// <summary>
    /// Decodes hex text with or without a <c>0x</c>/<c>0X</c> prefix, in either letter case.
    /// </summary>
    /// <exception cref="FormatException">The text has an odd number of digits or a character that is not a hex digit.</exception>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryDecodeCore(hex, out byte[]? bytes, out string? error))
        {
            throw new FormatException(error);
        }

        return bytes;
    }

    /// <summary>Decodes hex text like <see cref="Decode"/>; returns false instead of throwing.</summary>
    public static bool TryDecode([NotNullWhen(true)] string? hex, [NotNullWhen(true)] out byte[]? bytes)
    {
        if (hex is null)
        {
            bytes = null;
            return false;
        }

        return TryDecodeCore(hex, out bytes, out _);
    }

    /// <summary>Value of one hex digit, or -1 when <paramref name="c"/> is not a hex digit.</summary>
    internal static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    internal static bool HasPrefix(ReadOnlySpan<char> text) => text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');

    /// <summary>Decodes exactly <paramref name="destination"/>.Length bytes from digits (no prefix); error names the position in <paramref name="positionOffset"/>-shifted terms.</summary>
    internal static bool TryDecodeDigits(ReadOnlySpan<char> digits, Span<byte> destination, int positionOffset, string original, [NotNullWhen(false)] out string? error)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            int hi = DigitValue(digits[2 * i]);
            int lo = DigitValue(digits[2 * i + 1]);
            if ((hi | lo) < 0)
            {
                int bad = hi < 0 ? 2 * i : 2 * i + 1;
                error = $"Invalid hex character '{digits[bad]}' at position {bad + positionOffset} in '{Shorten(original)}'. Use only 0-9, a-f, A-F after an optional 0x prefix.";
                return false;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        error = null;
        return true;
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    private static bool TryDecodeCore(string hex, [NotNullWhen(true)] out byte[]? bytes, out string? error)
    {
        int offset = HasPrefix(hex) ? 2 : 0;
        ReadOnlySpan<char> digits = hex.AsSpan(offset);
        if (digits.Length % 2 != 0)
        {
            bytes = null;
            error = $"Hex text '{Shorten(hex)}' has an odd number of digits ({digits.Length}); the last digit at position {hex.Length - 1} ('{hex[^1]}') has no pair. Pad with a leading 0.";
            return false;
        }

        var result = new byte[digits.Length / 2];
        if (!TryDecodeDigits(digits, result, offset, hex, out error))
        {
            bytes = null;
            return false;
        }

        bytes = result;
        return true;
    }
}
