using System.Globalization;
using System.Text.Json;

namespace StoFunctions.Cli.Api;

/// <summary>
/// The two calls of an Etherscan-API-v2-compatible explorer that verification needs: <c>verifysourcecode</c>
/// (POST, form-encoded: the source is too big for a query string) and <c>checkverifystatus</c> (GET). Every call
/// carries <c>chainid</c> in the query (v2 serves every chain at one address). The API key is sent, never printed:
/// errors name the endpoint without its query.
/// </summary>
public sealed class EtherscanClient(Uri endpoint, string apiKey, ulong chainId) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>An explorer answer: <c>status</c> "1" is success; <c>result</c> is the guid, the status text or the error.</summary>
    /// <param name="Ok">status = "1".</param>
    /// <param name="Result">The <c>result</c> text.</param>
    public sealed record Answer(bool Ok, string Result);

    /// <summary>Submits <paramref name="fields"/> (besides module, action and apikey) to <c>verifysourcecode</c>.</summary>
    public Task<Answer> SubmitAsync(IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["module"] = "contract",
            ["action"] = "verifysourcecode",
            ["apikey"] = apiKey,
        };
        foreach ((string name, string value) in fields)
        {
            form[name] = value;
        }

        return SendAsync(new HttpRequestMessage(HttpMethod.Post, Address([])) { Content = new FormUrlEncodedContent(form) }, "verifysourcecode", cancellationToken);
    }

    /// <summary>Asks <c>checkverifystatus</c> about <paramref name="guid"/>.</summary>
    public Task<Answer> CheckAsync(string guid, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Address([("module", "contract"), ("action", "checkverifystatus"), ("guid", guid), ("apikey", apiKey)])), "checkverifystatus", cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private Uri Address(IEnumerable<(string Name, string Value)> query)
    {
        var builder = new UriBuilder(endpoint);
        IEnumerable<string> parts = [.. (builder.Query.Length > 1 ? builder.Query[1..].Split('&') : []), "chainid=" + chainId.ToString(CultureInfo.InvariantCulture),
            .. query.Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value))];
        builder.Query = string.Join('&', parts);
        return builder.Uri;
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request, string action, CancellationToken cancellationToken)
    {
        using (request)
        {
            string where = $"{endpoint.GetLeftPart(UriPartial.Path)} ({action})";
            try
            {
                using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(body);
                    JsonElement root = doc.RootElement;
                    string status = root.TryGetProperty("status", out JsonElement s) ? s.ToString() : "";
                    string result = root.TryGetProperty("result", out JsonElement r) ? r.ToString() : "";
                    return new Answer(status == "1", result.Length > 0 ? result : root.TryGetProperty("message", out JsonElement m) ? m.ToString() : body);
                }
                catch (JsonException e)
                {
                    throw new ApiUnreachableException($"The explorer at {where} answered {(int)response.StatusCode} without its JSON ({Cut(body)}); check --etherscan-url.", e);
                }
            }
            catch (HttpRequestException e)
            {
                throw new ApiUnreachableException($"The explorer at {where} did not answer: {e.Message}. Check --etherscan-url / ETHERSCAN_API_URL.", e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ApiUnreachableException($"The explorer at {where} did not answer within {_http.Timeout.TotalSeconds:0} s.", e);
            }
        }
    }

    private static string Cut(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
