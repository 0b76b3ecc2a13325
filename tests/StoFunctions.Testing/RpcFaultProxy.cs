using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StoFunctions.Testing;

/// <summary>
/// A JSON-RPC proxy (Kestrel) between a client under test and a real node (anvil) that injects the faults
/// real providers show: dropped requests, "forwarded then timed out" sends (the ambiguous broadcast),
/// synthetic node errors, stale reads from a lagging node, and geth's replacement rule, which anvil does not
/// enforce (research/txpipeline.md §7, §8.1; the idea follows web3-ethereum-defi's <c>rpc_proxy.py</c>).
/// </summary>
public sealed class RpcFaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _upstream;
    private readonly List<RpcFault> _faults = [];
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _forwardedRaw = new();
    private readonly ConcurrentDictionary<(string Sender, ulong Nonce), PoolTransaction> _pool = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _thawed = CompletedGate();

    private RpcFaultProxy(WebApplication app, Uri upstream, Uri url)
    {
        _app = app;
        _upstream = upstream;
        Url = url;
    }

    /// <summary>The proxy's endpoint; point the client under test here.</summary>
    public Uri Url { get; }

    /// <summary>
    /// When positive, <c>eth_getTransactionCount</c> answers as of this many blocks before the head and
    /// receipts of transactions mined in those blocks are reported as missing (a lagging node).
    /// </summary>
    public int StaleBlocks { get; set; }

    /// <summary>
    /// Decodes a raw signed transaction (0x hex) so the proxy can enforce geth's replacement rule
    /// (<c>legacypool/list.go</c> <c>list.Add</c>: both fee fields ≥ old × 110 / 100 and strictly greater).
    /// Null disables the rule (anvil's own, weaker rule applies).
    /// </summary>
    public Func<string, PoolTransaction>? ReplacementDecoder { get; set; }

    /// <summary>Every raw transaction that was forwarded to the node, in order.</summary>
    public IReadOnlyList<string> ForwardedRawTransactions => [.. _forwardedRaw];

    /// <summary>Starts a proxy in front of <paramref name="upstream"/> on a free loopback port.</summary>
    public static async Task<RpcFaultProxy> StartAsync(Uri upstream)
    {
        int port = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrel(o => o.ListenLocalhost(port));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var proxy = new RpcFaultProxy(app, upstream, new Uri($"http://localhost:{port}"));
        app.Run(proxy.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        return proxy;
    }

    /// <summary>Arms a fault; faults are consumed in the order they were added.</summary>
    public void Add(RpcFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Removes every armed fault and stops stale reads.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }

        StaleBlocks = 0;
    }

    /// <summary>
    /// A frozen node: from now on requests are held unanswered (the connection stays open) until <see cref="Thaw"/>
    /// or until the client gives up.
    /// </summary>
    public void Freeze()
    {
        lock (_gate)
        {
            if (_thawed.Task.IsCompleted)
            {
                _thawed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Ends a <see cref="Freeze"/>: held requests are forwarded and answered.</summary>
    public void Thaw()
    {
        lock (_gate)
        {
            _thawed.TrySetResult();
        }
    }

    /// <summary>How many times <paramref name="method"/> reached the proxy (faulted or not).</summary>
    public int Calls(string method) => _calls.TryGetValue(method, out int n) ? n : 0;

    /// <summary>How many HTTP requests (single calls or batches) carried at least one call of <paramref name="method"/>.</summary>
    public int Requests(string method) => _requests.TryGetValue(method, out int n) ? n : 0;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Thaw();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Task thawed;
        lock (_gate)
        {
            thawed = _thawed.Task;
        }

        try
        {
            await thawed.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        JsonNode? body = JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false));
        bool isBatch = body is JsonArray;
        JsonObject[] calls = isBatch ? [.. ((JsonArray)body!).Select(n => (JsonObject)n!)] : [(JsonObject)body!];
        foreach (string method in calls.Select(c => c["method"]!.GetValue<string>()).Distinct(StringComparer.Ordinal))
        {
            _requests.AddOrUpdate(method, 1, (_, n) => n + 1);
        }

        int? httpFailure = null;
        var answers = new JsonNode?[calls.Length];
        for (int i = 0; i < calls.Length; i++)
        {
            (answers[i], int? status) = await HandleCallAsync(calls[i]).ConfigureAwait(false);
            httpFailure ??= status;
        }

        if (httpFailure is int code)
        {
            context.Response.StatusCode = code;
            return;
        }

        context.Response.ContentType = "application/json";
        string json = isBatch ? new JsonArray(answers).ToJsonString() : answers[0]!.ToJsonString();
        await context.Response.WriteAsync(json).ConfigureAwait(false);
    }

    private async Task<(JsonNode? Answer, int? HttpStatus)> HandleCallAsync(JsonObject call)
    {
        string method = call["method"]!.GetValue<string>();
        _calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        RpcFault? fault = TakeFault(method);
        switch (fault?.Kind)
        {
            case RpcFaultKind.Drop:
                return (null, 502);
            case RpcFaultKind.NodeError:
                return (ErrorAnswer(call, fault), null);
        }

        JsonNode? answer = await ForwardWithRulesAsync(call, method).ConfigureAwait(false);
        return fault?.Kind switch
        {
            RpcFaultKind.ForwardThenGatewayTimeout => (null, 504),
            RpcFaultKind.ForwardThenNodeError => (ErrorAnswer(call, fault), null),
            _ => (answer, null),
        };
    }

    private RpcFault? TakeFault(string method)
    {
        lock (_gate)
        {
            int index = _faults.FindIndex(f => f.Method == method);
            if (index < 0)
            {
                return null;
            }

            RpcFault fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }

    private async Task<JsonNode?> ForwardWithRulesAsync(JsonObject call, string method)
    {
        if (method == "eth_sendRawTransaction")
        {
            string raw = call["params"]![0]!.GetValue<string>();
            if (ReplacementDecoder is { } decode)
            {
                PoolTransaction tx = decode(raw);
                if (_pool.TryGetValue((tx.Sender, tx.Nonce), out PoolTransaction? old) && old.Hash != tx.Hash && !IsGethReplacement(old, tx))
                {
                    return ErrorAnswer(call, new RpcFault(method, RpcFaultKind.NodeError, "replacement transaction underpriced"));
                }

                JsonNode? result = await ForwardAsync(call).ConfigureAwait(false);
                if (result?["error"] is null)
                {
                    _pool[(tx.Sender, tx.Nonce)] = tx;
                }

                _forwardedRaw.Enqueue(raw);
                return result;
            }

            _forwardedRaw.Enqueue(raw);
        }
        else if (StaleBlocks > 0 && method == "eth_getTransactionCount")
        {
            long stale = Math.Max(0, await HeadAsync().ConfigureAwait(false) - StaleBlocks);
            var copy = (JsonObject)call.DeepClone();
            copy["params"]![1] = "0x" + stale.ToString("x", CultureInfo.InvariantCulture);
            return await ForwardAsync(copy).ConfigureAwait(false);
        }
        else if (StaleBlocks > 0 && method == "eth_getTransactionReceipt")
        {
            JsonNode? answer = await ForwardAsync(call).ConfigureAwait(false);
            if (answer?["result"] is JsonObject receipt)
            {
                long mined = Convert.ToInt64(receipt["blockNumber"]!.GetValue<string>(), 16);
                if (mined > await HeadAsync().ConfigureAwait(false) - StaleBlocks)
                {
                    answer["result"] = null;
                }
            }

            return answer;
        }

        return await ForwardAsync(call).ConfigureAwait(false);
    }

    // geth legacypool list.Add: threshold = old * (100 + priceBump) / 100 with integer division, and the new
    // value must also be strictly greater than the old one, for the fee cap and the tip alike.
    private static bool IsGethReplacement(PoolTransaction old, PoolTransaction candidate)
    {
        BigInteger feeThreshold = old.MaxFeePerGas * 110 / 100;
        BigInteger tipThreshold = old.MaxPriorityFeePerGas * 110 / 100;
        return candidate.MaxFeePerGas > old.MaxFeePerGas && candidate.MaxPriorityFeePerGas > old.MaxPriorityFeePerGas
            && candidate.MaxFeePerGas >= feeThreshold && candidate.MaxPriorityFeePerGas >= tipThreshold;
    }

    private async Task<long> HeadAsync()
    {
        JsonNode? answer = await ForwardAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 0, ["method"] = "eth_blockNumber", ["params"] = new JsonArray() }).ConfigureAwait(false);
        return Convert.ToInt64(answer!["result"]!.GetValue<string>(), 16);
    }

    private async Task<JsonNode?> ForwardAsync(JsonObject call)
    {
        using var content = new StringContent(call.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(_upstream, content).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return JsonNode.Parse(text);
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private static JsonObject ErrorAnswer(JsonObject call, RpcFault fault) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = call["id"]?.DeepClone(),
        ["error"] = new JsonObject { ["code"] = fault.Code, ["message"] = fault.Message },
    };
}
