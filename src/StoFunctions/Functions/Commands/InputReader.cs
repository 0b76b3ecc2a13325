using System.Globalization;
using System.Numerics;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Planning;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// Reads a command's JSON input field by field and collects every problem before failing, so one answer lists
/// all errors (api.md: <c>errors</c> maps field → messages).
/// </summary>
public sealed class InputReader
{
    private readonly JsonElement _input;
    private readonly string _prefix;

    /// <summary>Reads <paramref name="input"/>; field names in errors are prefixed with <paramref name="prefix"/> (e.g. <c>row 3.</c>).</summary>
    public InputReader(JsonElement input, Dictionary<string, List<string>>? errors = null, string prefix = "")
    {
        _input = input;
        _prefix = prefix;
        Errors = errors ?? [];
        if (input.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
        {
            Add("input", "Must be a JSON object.");
        }
    }

    /// <summary>Field → messages collected so far.</summary>
    public Dictionary<string, List<string>> Errors { get; }

    /// <summary>True when nothing was wrong.</summary>
    public bool Valid => Errors.Count == 0;

    /// <summary>Records an error.</summary>
    public void Add(string field, string message)
    {
        string key = _prefix + field;
        if (!Errors.TryGetValue(key, out List<string>? list))
        {
            Errors[key] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Throws <see cref="CommandValidationException"/> when any error was recorded.</summary>
    public void ThrowIfInvalid()
    {
        if (!Valid)
        {
            throw new CommandValidationException(Errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }

    /// <summary>The raw member, if present and not null.</summary>
    public JsonElement? Member(string name) =>
        _input.ValueKind == JsonValueKind.Object && _input.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string member; records an error when required and missing, or not a string.</summary>
    public string? String(string name, bool required = true, int maxLength = 200)
    {
        JsonElement? value = Member(name);
        if (value is null)
        {
            if (required)
            {
                Add(name, "Required.");
            }

            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.String)
        {
            Add(name, $"Must be a string, not {value.Value.ValueKind.ToString().ToLowerInvariant()}.");
            return null;
        }

        string text = value.Value.GetString()!;
        if (required && text.Trim().Length == 0)
        {
            Add(name, "Must not be empty.");
            return null;
        }

        if (text.Length > maxLength || text.Any(c => char.IsControl(c)))
        {
            Add(name, $"At most {maxLength} printable characters.");
            return null;
        }

        return text;
    }

    /// <summary>An address member (any case; mixed case must pass EIP-55); the zero address is refused unless allowed.</summary>
    public Address? Address(string name, bool required = true, bool allowZero = false)
    {
        // Longer than 42 so whitespace or a 0X prefix get their own message, not a length error.
        string? text = String(name, required, 100);
        if (text is null)
        {
            return null;
        }

        return ParseAddress(name, text, allowZero);
    }

    /// <summary>
    /// Parses <paramref name="text"/> as an address, recording an error under <paramref name="field"/>. Taken
    /// exactly as sent (README "Input rules"): no surrounding whitespace, the prefix is lower-case <c>0x</c>.
    /// </summary>
    public Address? ParseAddress(string field, string text, bool allowZero = false)
    {
        if (PrefixError(text) is string bad)
        {
            Add(field, bad);
            return null;
        }

        try
        {
            Address address = Ethereum.Address.Parse(text);
            if (!allowZero && address == Ethereum.Address.Zero)
            {
                Add(field, "The zero address is not allowed.");
                return null;
            }

            return address;
        }
        catch (FormatException e)
        {
            Add(field, $"'{EchoText.Bounded(text)}' is not a valid address: {EchoText.Bounded(e.Message)}");
            return null;
        }
    }

    /// <summary>
    /// Why <paramref name="text"/> (an address or hex value) breaks the exact-value rule, or null: surrounding
    /// whitespace, or a <c>0X</c> prefix (which some parsers accept and others do not, so the same value would
    /// mean different things to different readers).
    /// </summary>
    public static string? PrefixError(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            return $"'{EchoText.Bounded(text)}' has whitespace around it; send the value alone (values are taken exactly as sent).";
        }

        if (text.StartsWith("0X", StringComparison.Ordinal))
        {
            return $"'{EchoText.Bounded(text)}' starts with '0X'; write the prefix as lower-case '0x'.";
        }

        return null;
    }

    /// <summary>
    /// An integer member in [<paramref name="min"/>, <paramref name="max"/>]: a JSON number (a string such as
    /// <c>"18"</c> is refused), or also a decimal string when <paramref name="allowText"/> (route values such as
    /// <c>payoutId</c> arrive as text).
    /// </summary>
    public long? Integer(string name, long min, long max, bool required = false, bool allowText = false) =>
        (long?)UInt64(name, (ulong)Math.Max(min, 0), (ulong)max, required, allowText);

    /// <summary>An unsigned 64-bit integer member (the full u64 range); a JSON number unless <paramref name="allowText"/>.</summary>
    public ulong? UInt64(string name, ulong min, ulong max, bool required = false, bool allowText = false)
    {
        JsonElement? value = Member(name);
        if (value is null)
        {
            if (required)
            {
                Add(name, "Required.");
            }

            return null;
        }

        bool isText = value.Value.ValueKind == JsonValueKind.String;
        string raw = isText ? value.Value.GetString()! : value.Value.GetRawText();
        ulong result;
        if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetUInt64(out ulong n))
        {
            result = n;
        }
        else if (isText && !allowText)
        {
            Add(name, $"Must be a JSON number (an integer from {min} to {max}), not the string \"{EchoText.Bounded(raw)}\".");
            return null;
        }
        else if (isText && ulong.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) && (raw == "0" || raw[0] != '0'))
        {
            result = s;
        }
        else if (BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            Add(name, $"{EchoText.Bounded(raw)} is out of range; must be from {min} to {max}.");
            return null;
        }
        else
        {
            Add(name, $"Must be an integer from {min} to {max}.");
            return null;
        }

        if (result < min || result > max)
        {
            Add(name, $"{result} is out of range; must be from {min} to {max}.");
            return null;
        }

        return result;
    }

    /// <summary>The URI schemes a link written on chain may use (README "Input rules").</summary>
    public static IReadOnlyList<string> UriSchemes { get; } = ["https", "http", "ipfs"];

    /// <summary>
    /// A link member that ends up on chain (token url, document, announcement and ballot uri): an absolute URI
    /// with a scheme from <see cref="UriSchemes"/>, so a <c>javascript:</c> or <c>data:</c> link is never
    /// written where wallets and explorers render it as a link. Empty is allowed when not required.
    /// </summary>
    public string? Uri(string name, bool required, int maxLength = 500)
    {
        string? text = String(name, required, maxLength);
        if (text is null || (!required && text.Length == 0))
        {
            return text;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon <= 0 ? "" : text[..colon];
        bool allowed = UriSchemes.Contains(scheme, StringComparer.Ordinal)
            && !text.Any(char.IsWhiteSpace)
            && System.Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
            && (scheme == "ipfs" ? text.Length > "ipfs://".Length && text.StartsWith("ipfs://", StringComparison.Ordinal) : uri.Host.Length > 0);
        if (!allowed)
        {
            Add(name, $"'{EchoText.Bounded(text)}' is not an allowed link; use an absolute {string.Join(", ", UriSchemes.Select(u => u + "://…"))} URI without spaces (lower-case scheme).");
            return null;
        }

        return text;
    }

    /// <summary>A token amount member: a decimal string in token units with at most <paramref name="decimals"/> fraction digits, above zero.</summary>
    public UInt256? Amount(string name, int decimals, bool allowZero = false)
    {
        JsonElement? value = Member(name);
        if (value is null)
        {
            Add(name, "Required: a decimal string in token units, e.g. \"300.5\".");
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.String)
        {
            Add(name, "Amounts are decimal strings in token units (e.g. \"300.5\"), never JSON numbers.");
            return null;
        }

        return ParseAmount(name, value.Value.GetString()!, decimals, allowZero);
    }

    /// <summary>Parses an amount string, recording an error under <paramref name="field"/>.</summary>
    public UInt256? ParseAmount(string field, string text, int decimals, bool allowZero = false)
    {
        if (!AmountText.TryParse(text, decimals, out UInt256 raw, out string? error))
        {
            Add(field, error);
            return null;
        }

        if (!allowZero && raw == UInt256.Zero)
        {
            Add(field, "Must be above zero.");
            return null;
        }

        return raw;
    }
}
