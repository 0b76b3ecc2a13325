using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage;

/// <summary>
/// Pulls the service error code and message out of Storage error responses: the <c>x-ms-error-code</c>
/// header (the only source for HEAD), Blob/Queue XML <c>&lt;Error&gt;&lt;Code&gt;</c>, or Table OData JSON
/// <c>{"odata.error":{"code","message":{"value"}}}</c>.
/// </summary>
internal sealed class StorageRequestFailedDetailsParser : RequestFailedDetailsParser
{
    public static readonly StorageRequestFailedDetailsParser Instance = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue("x-ms-error-code", out string? code);
        string? message = null;
        try
        {
            (string? bodyCode, message) = ParseBody(response.Content);
            code ??= bodyCode;
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException or InvalidOperationException)
        {
            // A body we cannot read still yields the header code; the raw body is in the exception text.
        }

        error = code is null && message is null ? null : new ResponseError(code, message ?? code);
        return error is not null;
    }

    internal static (string? Code, string? Message) ParseBody(BinaryData? content)
    {
        if (content is null || content.ToMemory().IsEmpty)
        {
            return (null, null);
        }

        string text = content.ToString().TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (text.StartsWith('<'))
        {
            XElement root = XDocument.Parse(text).Root!;
            return (root.Element("Code")?.Value, root.Element("Message")?.Value);
        }

        if (text.StartsWith('{'))
        {
            using JsonDocument json = JsonDocument.Parse(text);
            if (json.RootElement.TryGetProperty("odata.error", out JsonElement odata))
            {
                string? code = odata.TryGetProperty("code", out JsonElement c) ? c.GetString() : null;
                string? message = odata.TryGetProperty("message", out JsonElement m)
                    ? (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out JsonElement v) ? v.GetString() : m.ToString())
                    : null;
                return (code, message);
            }
        }

        return (null, null);
    }
}
