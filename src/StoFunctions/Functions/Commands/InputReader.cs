using System.Globalization;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Planning;

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
        string? text = String(name, required, 42);
        if (text is null)
        {
            return null;
        }

        return ParseAddress(name, text, allowZero);
    }

    /// <summary>Parses <paramref name="text"/> as an address, recording an error under <paramref name="field"/>.</summary>
    public Address? ParseAddress(string field, string text, bool allowZero = false)
    {
        try
        {
            Address address = Ethereum.Address.Parse(text.Trim());
            if (!allowZero && address == Ethereum.Address.Zero)
            {
                Add(field, "The zero address is not allowed.");
                return null;
            }

            return address;
        }
        catch (FormatException e)
        {
            Add(field, $"'{text}' is not a valid address: {e.Message}");
            return null;
        }
    }

    /// <summary>An integer member in [<paramref name="min"/>, <paramref name="max"/>], as a JSON number or decimal string.</summary>
    public long? Integer(string name, long min, long max, bool required = false)
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

        long result;
        if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt64(out long n))
        {
            result = n;
        }
        else if (value.Value.ValueKind == JsonValueKind.String && long.TryParse(value.Value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long s))
        {
            result = s;
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
