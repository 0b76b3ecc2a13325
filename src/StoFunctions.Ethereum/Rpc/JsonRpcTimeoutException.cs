namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// No answer arrived within <see cref="JsonRpcClientOptions.Timeout"/>. The node may still process the request: for a
/// broadcast, treat it as "maybe sent".
/// </summary>
public sealed class JsonRpcTimeoutException : JsonRpcTransportException
{
    /// <summary>Creates a timeout failure.</summary>
    public JsonRpcTimeoutException(string method, TimeSpan timeout, Exception? innerException)
        : base(method, $"no answer within {timeout.TotalSeconds:0.###} s (JsonRpcClientOptions.Timeout); the request may still have been processed", null, innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
