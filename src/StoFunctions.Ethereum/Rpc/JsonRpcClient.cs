using System.Net;
using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// An Ethereum JSON-RPC 2.0 client over HTTP: single and batched requests, typed <c>eth_*</c> methods, a per-attempt
/// timeout, and retries with exponential backoff for idempotent reads only. A node's error object becomes a
/// <see cref="JsonRpcException"/>; an unknown outcome (connection failure, HTTP 5xx/429, timeout) becomes a
/// <see cref="JsonRpcTransportException"/>. Thread-safe; async-only.
/// </summary>
public sealed partial class JsonRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly JsonRpcClientOptions _options;
    private readonly RpcStallWatch? _stalls;
    private long _nextId;

    /// <summary>Creates a client with its own <see cref="HttpClient"/>.</summary>
    public JsonRpcClient(Uri endpoint, JsonRpcClientOptions? options = null)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, endpoint, options, ownsHttp: true)
    {
    }

    /// <summary>Creates a client on a caller-owned <see cref="HttpClient"/> (e.g. from IHttpClientFactory); its own
    /// <see cref="HttpClient.Timeout"/> still applies and also surfaces as <see cref="JsonRpcTimeoutException"/>.</summary>
    public JsonRpcClient(HttpClient httpClient, Uri endpoint, JsonRpcClientOptions? options = null)
        : this(httpClient, endpoint, options, ownsHttp: false)
    {
    }

    private JsonRpcClient(HttpClient httpClient, Uri endpoint, JsonRpcClientOptions? options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = httpClient;
        _ownsHttp = ownsHttp;
        Endpoint = endpoint;
        _options = options ?? new JsonRpcClientOptions();
        if (_options.Timeout <= TimeSpan.Zero || _options.MaxRetries < 0)
        {
            throw new ArgumentException("JsonRpcClientOptions.Timeout must be positive and MaxRetries must not be negative.", nameof(options));
        }

        if (_options.StallObserver is { } observer)
        {
            if (_options.StallWarningAfter <= TimeSpan.Zero)
            {
                throw new ArgumentException($"JsonRpcClientOptions.StallWarningAfter must be positive, not {_options.StallWarningAfter}.", nameof(options));
            }

            _stalls = new RpcStallWatch(endpoint, observer, _options.StallWarningAfter);
        }
    }

    /// <summary>The node's JSON-RPC URL.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Sends any method (e.g. anvil's <c>anvil_mine</c>) and reads the result as <typeparamref name="T"/>: <see cref="JsonElement"/>
    /// for raw JSON; <see cref="UInt256"/>, <see cref="ulong"/>, <see cref="Address"/>, <see cref="Hash32"/>, <see cref="byte"/>[]
    /// in their JSON-RPC encodings; the result records of this namespace; anything else with System.Text.Json.
    /// Parameters are written likewise (see <see cref="JsonRpcBatch.Add{T}"/>).
    /// </summary>
    /// <exception cref="JsonRpcException">The node returned an error, or a result that is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="JsonRpcTransportException">The outcome is unknown (after retries, for idempotent methods).</exception>
    public async Task<T?> SendAsync<T>(string method, object?[]? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        long id = Interlocked.Increment(ref _nextId);
        byte[] body = JsonRpcWire.WriteRequest(id, method, parameters ?? []);
        using JsonDocument response = await PostAsync(body, method, IsIdempotent(method), cancellationToken).ConfigureAwait(false);
        JsonElement root = response.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, $"expected a response object but got {root.ValueKind}", root);
        }

        JsonElement result = JsonRpcWire.ResultOrThrow(method, root);
        return ReadResult<T>(method, result);
    }

    /// <summary>Starts a batch: several requests in one HTTP POST, results matched by id.</summary>
    public JsonRpcBatch CreateBatch() => new(this);

    /// <inheritdoc />
    public void Dispose()
    {
        _stalls?.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    internal long NextId() => Interlocked.Increment(ref _nextId);

    // Broadcasts are never repeated by the transport, even if configured: a resend is the broadcaster's decision.
    internal bool IsIdempotent(string method) =>
        _options.IdempotentMethods.Contains(method) && method is not ("eth_sendRawTransaction" or "eth_sendTransaction");

    internal static T? ReadResult<T>(string method, JsonElement result)
    {
        try
        {
            return RpcJson.Read<T>(result);
        }
        catch (FormatException e)
        {
            throw Malformed(method, e.Message, result);
        }
    }

    internal async Task<JsonDocument> PostAsync(byte[] body, string method, bool idempotent, CancellationToken cancellationToken)
    {
        int attempt = 0;
        while (true)
        {
            try
            {
                return await PostOnceAsync(body, method, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonRpcTransportException e) when (idempotent && attempt < _options.MaxRetries)
            {
                attempt++;
                await Task.Delay(RetryDelay(attempt, e), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<JsonDocument> PostOnceAsync(byte[] body, string method, CancellationToken cancellationToken)
    {
        if (_stalls is null)
        {
            return await PostWatchedAsync(body, method, cancellationToken).ConfigureAwait(false);
        }

        long token = _stalls.Begin(method);
        bool answered = false;
        try
        {
            JsonDocument document = await PostWatchedAsync(body, method, cancellationToken).ConfigureAwait(false);
            answered = true;
            return document;
        }
        catch (JsonRpcTransportException e) when (e.HttpStatus is not null)
        {
            answered = true;
            throw;
        }
        finally
        {
            _stalls.End(token, answered);
        }
    }

    private async Task<JsonDocument> PostWatchedAsync(byte[] body, string method, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            byte[] content = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            {
                TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is DateTimeOffset date ? date - DateTimeOffset.UtcNow : null);
                throw new JsonRpcTransportException(method, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Preview(content)}", (int)response.StatusCode, null)
                {
                    RetryAfter = retryAfter,
                };
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(content);
            }
            catch (JsonException e)
            {
                string status = response.IsSuccessStatusCode ? string.Empty : $"HTTP {(int)response.StatusCode} with ";
                throw new JsonRpcTransportException(method, $"{status}a body that is not JSON: {Preview(content)}", (int)response.StatusCode, e);
            }

            // Some providers answer 4xx with a JSON-RPC error object in the body; that is a real answer.
            if (!response.IsSuccessStatusCode && !(document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out _)))
            {
                document.Dispose();
                throw new JsonRpcTransportException(method, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Preview(content)}", (int)response.StatusCode, null);
            }

            return document;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout fired, or the caller's HttpClient.Timeout did; the caller did not cancel.
            bool ours = _http.Timeout == Timeout.InfiniteTimeSpan || _options.Timeout <= _http.Timeout;
            throw new JsonRpcTimeoutException(method, ours ? _options.Timeout : _http.Timeout, e);
        }
        catch (HttpRequestException e)
        {
            throw new JsonRpcTransportException(method, $"the request to {Endpoint} failed: {e.Message}", e.StatusCode is null ? null : (int)e.StatusCode, e);
        }
    }

    private TimeSpan RetryDelay(int attempt, JsonRpcTransportException failure)
    {
        if (failure.RetryAfter is TimeSpan retryAfter && retryAfter > TimeSpan.Zero)
        {
            return retryAfter < _options.MaxRetryDelay ? retryAfter : _options.MaxRetryDelay;
        }

        double exponential = _options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        double jittered = exponential * (0.75 + Random.Shared.NextDouble() * 0.5);
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _options.MaxRetryDelay.TotalMilliseconds));
    }

    private static JsonRpcException Malformed(string method, string problem, JsonElement value)
    {
        string raw = value.GetRawText();
        return new JsonRpcException(method, JsonRpcException.ParseErrorCode, $"the node's answer is malformed: {problem}", raw.Length <= 600 ? raw : raw[..600] + "…");
    }

    private static string Preview(byte[] content)
    {
        string text = System.Text.Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 300));
        return content.Length > 300 ? text + "…" : text;
    }
}
