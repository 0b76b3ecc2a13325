namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// The request's outcome is unknown: the connection failed or was reset, the node answered with HTTP 5xx/429, or its
/// answer could not be read. For <c>eth_sendRawTransaction</c> this means "maybe sent": resend the same bytes, never
/// re-sign with a new nonce (research/txpipeline.md §3).
/// </summary>
public class JsonRpcTransportException : JsonRpcException
{
    /// <summary>The code used for transport failures, which carry no JSON-RPC error object.</summary>
    public const int TransportErrorCode = -32099;

    /// <summary>Creates a transport failure.</summary>
    /// <param name="method">The JSON-RPC method (or <c>batch</c>).</param>
    /// <param name="problem">What went wrong, e.g. "connection refused" or "HTTP 503 Service Unavailable".</param>
    /// <param name="httpStatus">The HTTP status when the node answered, else null.</param>
    /// <param name="innerException">The underlying exception.</param>
    public JsonRpcTransportException(string method, string problem, int? httpStatus, Exception? innerException)
        : base(method, TransportErrorCode, problem, null, innerException)
    {
        HttpStatus = httpStatus;
    }

    /// <summary>The HTTP status code when the node answered (5xx, 429, …); null when no answer arrived.</summary>
    public int? HttpStatus { get; }

    /// <summary>The delay the node asked for with <c>Retry-After</c> (HTTP 429/503), if any.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
