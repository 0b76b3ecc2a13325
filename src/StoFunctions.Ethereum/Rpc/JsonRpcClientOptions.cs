namespace StoFunctions.Ethereum.Rpc;

/// <summary>Timeouts and retry policy of a <see cref="JsonRpcClient"/>.</summary>
public sealed class JsonRpcClientOptions
{
    /// <summary>How long one HTTP attempt may take before it fails with <see cref="JsonRpcTimeoutException"/>. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Told once per stall when an HTTP attempt has been outstanding for <see cref="StallWarningAfter"/> (a frozen
    /// node that answers before <see cref="Timeout"/> would otherwise leave no trace), and when the node answers again.
    /// Null: not watched.
    /// </summary>
    public IRpcStallObserver? StallObserver { get; set; }

    /// <summary>How long an attempt may be outstanding before <see cref="StallObserver"/> hears of it. Default 10 s.</summary>
    public TimeSpan StallWarningAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra attempts after a transport failure, for idempotent methods only. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; doubles per retry with ±25 % jitter, capped by <see cref="MaxRetryDelay"/>. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one retry delay (also of an honoured <c>Retry-After</c>). Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Methods that are safe to repeat after an unknown outcome: reads whose repetition has no effect. A batch is
    /// retried only when all its methods are here. <c>eth_sendRawTransaction</c> is deliberately absent: its retry is
    /// the broadcaster's decision (resend the same bytes), not the transport's.
    /// </summary>
    public ISet<string> IdempotentMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "eth_chainId", "net_version", "web3_clientVersion", "eth_blockNumber", "eth_getBalance", "eth_getTransactionCount",
        "eth_getCode", "eth_getStorageAt", "eth_call", "eth_estimateGas", "eth_gasPrice", "eth_maxPriorityFeePerGas",
        "eth_feeHistory", "eth_getTransactionReceipt", "eth_getTransactionByHash", "eth_getBlockByNumber",
        "eth_getBlockByHash", "eth_getLogs", "eth_syncing",
    };
}
