using System.Net.Http.Headers;

namespace StoFunctions.Cli.Api;

/// <summary>
/// The HTTP client of the command API: every route under <c>/api</c>, the key in <c>x-functions-key</c> (never in
/// the URL, so it cannot end up in a proxy log), bodies read whole.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates the client for <paramref name="settings"/>; <paramref name="handler"/> replaces the socket handler (tests).</summary>
    public ApiClient(ApiSettings settings, HttpMessageHandler? handler)
    {
        Settings = settings;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = settings.BaseAddress;
        // Planning a large distribution happens inside the POST; the service bounds it with functionTimeout (10 min).
        _http.Timeout = TimeSpan.FromMinutes(11);
        if (settings.Key is not null)
        {
            _http.DefaultRequestHeaders.Add("x-functions-key", settings.Key);
        }

        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("sto", typeof(ApiClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>Where the client sends.</summary>
    public ApiSettings Settings { get; }

    /// <summary>GET <c>/api/{path}</c>.</summary>
    public Task<ApiResponse> GetAsync(string path, string? accept, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, accept, null, cancellationToken);

    /// <summary>Sends one request to <c>/api/{path}</c> and reads the whole answer.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, HttpContent? content, string? accept, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "api/" + path.TrimStart('/')) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept ?? "application/json"));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new ApiResponse(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, response.Headers.Location?.ToString());
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnreachableException($"The API at {Settings.BaseAddress} did not answer {method} /api/{path.TrimStart('/')}: {e.Message}. Is it running (./dev up), and is --api / STO_API_URL right?", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException($"The API at {Settings.BaseAddress} did not answer {method} /api/{path.TrimStart('/')} within {_http.Timeout.TotalMinutes:0} minutes.", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
