using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>Recognises the ways providers refuse an <c>eth_getLogs</c> range that is too big, so it can be split.</summary>
public static class ProviderLimits
{
    // Providers disagree on codes (-32005 Infura, -32602 Alchemy/geth, -32000 others), so the text decides:
    // "query returned more than 10000 results", "block range is too large", "exceed maximum block range",
    // "Log response size exceeded", "query timeout exceeded", "limit exceeded".
    private static readonly string[] s_markers =
    [
        "more than", "too many", "too large", "range", "exceed", "limit", "timeout", "timed out", "response size",
    ];

    /// <summary>True when splitting the range may help: a timeout, or an error that names a size or range limit.</summary>
    public static bool IsRangeLimit(Exception exception) => exception switch
    {
        JsonRpcTimeoutException => true,
        JsonRpcException rpc => rpc.Code == -32005 || IsLimitText(rpc.RpcMessage),
        TimeoutException => true,
        _ => false,
    };

    /// <summary>True when <paramref name="message"/> names a result, size or range limit.</summary>
    public static bool IsLimitText(string message) =>
        s_markers.Any(marker => message.Contains(marker, StringComparison.OrdinalIgnoreCase));
}
