using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Commands;

/// <summary>Derivation of command ids and body fingerprints (pure).</summary>
public static class CommandKeys
{
    /// <summary>
    /// The command id for an idempotency key: 32 hex characters of SHA-256 over the key, so the same key always
    /// names the same command (api.md: "the command id is derived from the idempotency key").
    /// </summary>
    public static string IdFor(string idempotencyKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("command\n" + idempotencyKey)))[..32];

    /// <summary>A fresh id for a command without idempotency key.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// SHA-256 (hex) of the command name and the canonical form of its input: object members sorted by name
    /// (ordinal), no insignificant whitespace, and values that spell one thing two ways written one way: a
    /// <c>0x</c> hex string (an address or hash) in lower case, and a decimal string or number without trailing
    /// fractional zeros (<c>"1.0"</c> is <c>"1"</c>). Two bodies that differ only in these respects match.
    /// </summary>
    public static string Fingerprint(string name, JsonElement input) => FingerprintOf(name, input, canonicalValues: true);

    /// <summary>
    /// The fingerprint commands were stored with before values were canonicalized (member order and spacing only);
    /// a stored row may still carry it, so a repeat of its exact body keeps matching.
    /// </summary>
    public static string LegacyFingerprint(string name, JsonElement input) => FingerprintOf(name, input, canonicalValues: false);

    private static string FingerprintOf(string name, JsonElement input, bool canonicalValues)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            WriteCanonical(writer, input, canonicalValues);
            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>
    /// The row key of a business key's idempotency row: <c>key-</c> + the hex of the 28-byte key hash its on-chain
    /// tag carries (<see cref="BusinessKeyTag"/>), so reconciliation rebuilds the row from the chain (keys may also
    /// contain characters Table keys forbid).
    /// </summary>
    public static string BusinessKeyRow(string businessKey) => BusinessKeyRowOf(BusinessKeyTag.KeyHash(businessKey));

    /// <summary>
    /// The row key ledgers written before business-key tags used (<c>key-</c> + the hex of the full SHA-256). Such rows
    /// are read (never written) through <see cref="Ledger.LedgerTable.TryGetBusinessKeyAsync"/>, so a file planned
    /// before the upgrade is still recognised after it instead of being sent again.
    /// </summary>
    public static string LegacyBusinessKeyRow(string businessKey) =>
        BusinessKeyRowPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(businessKey)));

    /// <summary>The idempotency row key of a tag's 28-byte key hash.</summary>
    public static string BusinessKeyRowOf(ReadOnlySpan<byte> keyHash) => BusinessKeyRowPrefix + Convert.ToHexStringLower(keyHash);

    /// <summary>The prefix of every idempotency row key, current and legacy (so <c>key.</c> bounds them from above).</summary>
    public const string BusinessKeyRowPrefix = "key-";

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool canonicalValues)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, canonicalValues);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, canonicalValues);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String when canonicalValues:
                writer.WriteStringValue(CanonicalText(element.GetString()!));
                break;
            case JsonValueKind.Number when canonicalValues:
                writer.WriteRawValue(CanonicalText(element.GetRawText()), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    // Only forms with one meaning whatever the member is: hex after 0x/0X is case-insensitive, and a plain decimal
    // with a fraction means the same without its trailing zeros. Anything else (names, ids) is kept verbatim.
    private static string CanonicalText(string text)
    {
        if (text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && !text.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            return "0x" + text[2..].ToLowerInvariant();
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && !text.AsSpan(0, dot).ContainsAnyExcept("0123456789") && !text.AsSpan(dot + 1).ContainsAnyExcept("0123456789"))
        {
            string trimmed = text.TrimEnd('0');
            return trimmed.EndsWith('.') ? trimmed[..^1] : trimmed;
        }

        return text;
    }
}
