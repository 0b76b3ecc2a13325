using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// Several JSON-RPC requests sent as one HTTP POST of a JSON array. <see cref="Add{T}"/> returns a task that completes
/// when <see cref="SendAsync"/> has matched the answer with the same id; each request fails or succeeds on its own.
/// The batch is retried after a transport failure only when every method in it is idempotent.
/// </summary>
public sealed class JsonRpcBatch
{
    private readonly JsonRpcClient _client;
    private readonly List<Entry> _entries = [];
    private bool _sent;

    internal JsonRpcBatch(JsonRpcClient client) => _client = client;

    /// <summary>Requests added so far.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a request; the task completes after <see cref="SendAsync"/> with the result read as <typeparamref name="T"/>
    /// (same rules as <see cref="JsonRpcClient.SendAsync{T}"/>) or fails with that request's <see cref="JsonRpcException"/>.</summary>
    /// <exception cref="InvalidOperationException">The batch was already sent.</exception>
    public Task<T?> Add<T>(string method, params object?[] parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent; create a new one with JsonRpcClient.CreateBatch().");
        }

        var completion = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _entries.Add(new Entry(_client.NextId(), method, parameters, result => completion.TrySetResult(JsonRpcClient.ReadResult<T>(method, result)), e => completion.TrySetException(e)));
        return completion.Task;
    }

    /// <summary>Sends all requests in one POST and completes their tasks. Does not throw for individual request errors;
    /// a transport failure (unknown outcome) fails every task and is also thrown here.</summary>
    /// <exception cref="JsonRpcTransportException">The batch's outcome is unknown.</exception>
    public async Task SendAsync(CancellationToken cancellationToken = default)
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent.");
        }

        _sent = true;
        if (_entries.Count == 0)
        {
            return;
        }

        byte[] body = JsonRpcWire.WriteBatch(_entries.Select(e => (e.Id, e.Method, e.Parameters)).ToArray());
        bool idempotent = _entries.All(e => _client.IsIdempotent(e.Method));
        string label = $"batch of {_entries.Count} ({string.Join(", ", _entries.Select(e => e.Method).Distinct())})";
        JsonDocument document;
        try
        {
            document = await _client.PostAsync(body, label, idempotent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonRpcException or OperationCanceledException)
        {
            foreach (Entry entry in _entries)
            {
                entry.Fail(e);
            }

            throw;
        }

        using (document)
        {
            Complete(document.RootElement);
        }
    }

    private void Complete(JsonElement root)
    {
        // A node that rejects the whole batch (too large, batching disabled) answers with one error object.
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (Entry entry in _entries)
            {
                entry.Fail(root.TryGetProperty("error", out JsonElement error)
                    ? JsonRpcWire.ErrorOf(entry.Method, error)
                    : new JsonRpcException(entry.Method, JsonRpcException.ParseErrorCode, "the node answered a batch with a single non-error object", Clip(root)));
            }

            return;
        }

        var byId = new Dictionary<long, JsonElement>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement response in root.EnumerateArray())
            {
                if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long value))
                {
                    byId.TryAdd(value, response);
                }
            }
        }

        foreach (Entry entry in _entries)
        {
            if (!byId.TryGetValue(entry.Id, out JsonElement response))
            {
                entry.Fail(new JsonRpcException(entry.Method, JsonRpcException.ParseErrorCode, $"the batch answer has no response with id {entry.Id}", Clip(root)));
                continue;
            }

            try
            {
                entry.Succeed(JsonRpcWire.ResultOrThrow(entry.Method, response));
            }
            catch (JsonRpcException e)
            {
                entry.Fail(e);
            }
        }
    }

    private static string Clip(JsonElement value)
    {
        string raw = value.GetRawText();
        return raw.Length <= 600 ? raw : raw[..600] + "…";
    }

    private sealed record Entry(long Id, string Method, object?[] Parameters, Action<JsonElement> Succeed, Action<Exception> Fail);
}
