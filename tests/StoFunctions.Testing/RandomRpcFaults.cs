using System.Collections.Concurrent;

namespace StoFunctions.Testing;

/// <summary>
/// Keeps an <see cref="RpcFaultProxy"/> injecting faults at a steady rate for chaos tests: every few milliseconds
/// it arms, for each rule, as many one-shot faults as bring the injected count to <c>rate × calls since the start</c>,
/// each of a kind drawn from the rule with a seeded <see cref="Random"/>. A fault hits the next call of its
/// method, so the faulted calls are spread over the run without the proxy knowing about rates.
/// </summary>
public sealed class RandomRpcFaults : IAsyncDisposable
{
    private readonly RpcFaultProxy _proxy;
    private readonly IReadOnlyList<RpcFaultRule> _rules;
    private readonly double _rate;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<RpcFaultKind, int> _armed = new();
    private readonly int[] _armedPerRule;
    private readonly int[] _baseline;
    private readonly Task _loop;

    private RandomRpcFaults(RpcFaultProxy proxy, IReadOnlyList<RpcFaultRule> rules, double rate, int seed)
    {
        _proxy = proxy;
        _rules = rules;
        _rate = rate;
        _random = new Random(seed);
        _armedPerRule = new int[rules.Count];
        _baseline = [.. rules.Select(Count)];
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>How many faults were armed so far, by kind.</summary>
    public IReadOnlyDictionary<RpcFaultKind, int> Armed => _armed;

    /// <summary>Total faults armed so far.</summary>
    public int Total => _armed.Values.Sum();

    /// <summary>Starts injecting faults at <paramref name="rate"/> (0–1) of the calls each rule counts.</summary>
    public static RandomRpcFaults Start(RpcFaultProxy proxy, double rate, int seed, IReadOnlyList<RpcFaultRule> rules)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        return new RandomRpcFaults(proxy, rules, rate, seed);
    }

    /// <summary>
    /// Rules for an Ethereum pipeline: sends are dropped, forwarded then timed out (the ambiguous broadcast),
    /// refused with a synthetic node error, or forwarded then answered <c>already known</c>; chain reads are
    /// dropped or time out after forwarding. Receipts are read in batches of up to 200, so their faults are paced
    /// by lane steps (one <c>eth_maxPriorityFeePerGas</c> each): one receipt batch in ten fails rather than
    /// nearly all of them. Block headers are read in batches by the lane's confirmations and the scanner, so their
    /// faults are paced by requests (a 94-block batch after a restart used to fail every time: the lane never
    /// confirmed again and the run timed out).
    /// </summary>
    public static IReadOnlyList<RpcFaultRule> PipelineRules { get; } =
    [
        new("eth_sendRawTransaction", "eth_sendRawTransaction",
        [
            new RpcFault("eth_sendRawTransaction", RpcFaultKind.Drop),
            new RpcFault("eth_sendRawTransaction", RpcFaultKind.ForwardThenGatewayTimeout),
            new RpcFault("eth_sendRawTransaction", RpcFaultKind.NodeError, "internal error: upstream request failed"),
            new RpcFault("eth_sendRawTransaction", RpcFaultKind.ForwardThenNodeError, "already known"),
        ]),
        new("eth_getBlockByNumber", "eth_getBlockByNumber",
        [
            new RpcFault("eth_getBlockByNumber", RpcFaultKind.Drop),
            new RpcFault("eth_getBlockByNumber", RpcFaultKind.ForwardThenGatewayTimeout),
        ], PacedByRequests: true),
        new("eth_getTransactionReceipt", "eth_maxPriorityFeePerGas",
        [
            new RpcFault("eth_getTransactionReceipt", RpcFaultKind.Drop),
            new RpcFault("eth_getTransactionReceipt", RpcFaultKind.ForwardThenGatewayTimeout),
        ]),
        new("eth_call", "eth_call",
        [
            new RpcFault("eth_call", RpcFaultKind.Drop),
            new RpcFault("eth_call", RpcFaultKind.ForwardThenGatewayTimeout),
        ]),
    ];

    /// <summary>Stops arming; faults already armed stay until <see cref="RpcFaultProxy.Clear"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private int Count(RpcFaultRule rule) => rule.PacedByRequests ? _proxy.Requests(rule.CountedMethod) : _proxy.Calls(rule.CountedMethod);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                RpcFaultRule rule = _rules[i];
                int target = (int)((Count(rule) - _baseline[i]) * _rate);
                while (_armedPerRule[i] < target)
                {
                    RpcFault fault = rule.Faults[_random.Next(rule.Faults.Count)];
                    _proxy.Add(fault);
                    _armedPerRule[i]++;
                    _armed.AddOrUpdate(fault.Kind, 1, (_, n) => n + 1);
                }
            }

            await Task.Delay(5, _stop.Token).ConfigureAwait(false);
        }
    }
}
