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
    /// (ordinal), no insignificant whitespace. Two bodies that differ only in member order or spacing match.
    /// </summary>
    public static string Fingerprint(string name, JsonElement input)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            WriteCanonical(writer, input);
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

    /// <summary>The idempotency row key of a tag's 28-byte key hash.</summary>
    public static string BusinessKeyRowOf(ReadOnlySpan<byte> keyHash) => "key-" + Convert.ToHexStringLower(keyHash);

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
