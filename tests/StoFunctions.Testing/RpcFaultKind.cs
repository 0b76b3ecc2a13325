namespace StoFunctions.Testing;

/// <summary>How <see cref="RpcFaultProxy"/> misbehaves for one call.</summary>
public enum RpcFaultKind
{
    /// <summary>Not forwarded; the HTTP request fails with 502 (a dropped request).</summary>
    Drop,

    /// <summary>Forwarded to the node, then the HTTP request fails with 504: the ambiguous broadcast.</summary>
    ForwardThenGatewayTimeout,

    /// <summary>Not forwarded; answered with a JSON-RPC error (a node's refusal).</summary>
    NodeError,

    /// <summary>Forwarded to the node, then answered with a JSON-RPC error (the node took it but said no).</summary>
    ForwardThenNodeError,
}
