using System.Globalization;
using System.Text;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.CorporateActions;

/// <summary>Input fields the corporate actions share: times, address lists, <c>bytes32</c> names and hashes.</summary>
public static class ActionInput
{
    /// <summary>The most addresses an exclusion list may have.</summary>
    public const int MaxExcluded = 100;

    /// <summary>A time as an ISO 8601 string with offset (e.g. <c>2027-01-31T12:00:00Z</c>) or Unix seconds; null when absent or invalid.</summary>
    public static ulong? Time(InputReader reader, string name, bool required)
    {
        JsonElement? value = reader.Member(name);
        if (value is null)
        {
            if (required)
            {
                reader.Add(name, "Required: an ISO 8601 time such as \"2027-01-31T12:00:00Z\" or Unix seconds.");
            }

            return null;
        }

        if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt64(out long seconds) && seconds > 0)
        {
            return (ulong)seconds;
        }

        if (value.Value.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(value.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time) &&
            time.ToUnixTimeSeconds() > 0)
        {
            return (ulong)time.ToUnixTimeSeconds();
        }

        reader.Add(name, $"'{value.Value}' is not a time; use ISO 8601 with an offset (\"2027-01-31T12:00:00Z\") or positive Unix seconds.");
        return null;
    }

    /// <summary>An optional array of distinct addresses (e.g. holders excluded from a payout).</summary>
    public static List<Address> Addresses(InputReader reader, string name)
    {
        var list = new List<Address>();
        JsonElement? value = reader.Member(name);
        if (value is null)
        {
            return list;
        }

        if (value.Value.ValueKind != JsonValueKind.Array || value.Value.GetArrayLength() > MaxExcluded)
        {
            reader.Add(name, $"Must be an array of at most {MaxExcluded} address strings.");
            return list;
        }

        int i = 0;
        foreach (JsonElement item in value.Value.EnumerateArray())
        {
            string field = name + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            i++;
            if (item.ValueKind != JsonValueKind.String)
            {
                reader.Add(field, "Must be an address string.");
                continue;
            }

            if (reader.ParseAddress(field, item.GetString()!) is not Address address)
            {
                continue;
            }

            if (list.Contains(address))
            {
                reader.Add(field, $"{address} is listed twice.");
                continue;
            }

            list.Add(address);
        }

        return list;
    }

    /// <summary>
    /// A short name as <c>bytes32</c>: its UTF-8 bytes left-aligned and zero-padded (the ERC-1643 document name
    /// convention, as ethers' <c>encodeBytes32String</c>); null when longer than 32 bytes.
    /// </summary>
    public static Hash32? Name(InputReader reader, string name, bool required = true)
    {
        string? text = reader.String(name, required, maxLength: 32);
        if (text is null)
        {
            return null;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > 32 || text.Contains('\0', StringComparison.Ordinal))
        {
            reader.Add(name, $"'{EchoText.Bounded(text)}' is {bytes.Length} UTF-8 bytes; a bytes32 name holds at most 32 and no NUL.");
            return null;
        }

        return ToBytes32(text);
    }

    /// <summary>The bytes32 form of <paramref name="text"/> (≤ 32 UTF-8 bytes).</summary>
    public static Hash32 ToBytes32(string text)
    {
        var buffer = new byte[32];
        Encoding.UTF8.GetBytes(text, buffer);
        return Hash32.FromBytes(buffer);
    }

    /// <summary>The text of a bytes32 name: the UTF-8 bytes before the zero padding.</summary>
    public static string FromBytes32(Hash32 value)
    {
        byte[] bytes = value.ToArray();
        int length = bytes.Length;
        while (length > 0 && bytes[length - 1] == 0)
        {
            length--;
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    /// <summary>An optional 32-byte hash as 0x + 64 hex digits; zero when absent.</summary>
    public static Hash32 Hash(InputReader reader, string name)
    {
        string? text = reader.String(name, required: false, maxLength: 66);
        if (text is null)
        {
            return Hash32.Zero;
        }

        if (InputReader.PrefixError(text) is string bad)
        {
            reader.Add(name, bad);
            return Hash32.Zero;
        }

        if (Hash32.TryParse(text, out Hash32 hash))
        {
            return hash;
        }

        reader.Add(name, $"'{EchoText.Bounded(text)}' is not a 32-byte hash; write 0x and 64 hex digits (e.g. the document's SHA-256 or Keccak-256).");
        return Hash32.Zero;
    }

    /// <summary>Records an error for every member not in <paramref name="members"/> (besides <c>token</c>).</summary>
    public static void RejectUnknown(InputReader reader, JsonElement input, string command, params string[] members)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name != "token" && !members.Contains(m.Name)))
        {
            reader.Add(member.Name, $"Unknown member; {command} takes {string.Join(", ", members)}.");
        }
    }
}
