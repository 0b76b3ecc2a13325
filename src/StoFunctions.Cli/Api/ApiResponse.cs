using System.Net;
using System.Text.Json;

namespace StoFunctions.Cli.Api;

/// <summary>One answer of the API, read whole.</summary>
public sealed record ApiResponse(HttpStatusCode StatusCode, string Body, string? ContentType, string? Location)
{
    /// <summary>2xx.</summary>
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    /// <summary>4xx: the request was refused (bad input, unknown id, wrong key).</summary>
    public bool IsClientError => (int)StatusCode is >= 400 and < 500;

    /// <summary>The body parsed as JSON, or null when it is not JSON.</summary>
    public JsonElement? Json()
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
