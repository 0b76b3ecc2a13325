namespace StoFunctions.Testing;

/// <summary>One armed fault of <see cref="RpcFaultProxy"/>: it hits the next call of <paramref name="Method"/> once.</summary>
/// <param name="Method">The JSON-RPC method to hit, e.g. <c>eth_sendRawTransaction</c>.</param>
/// <param name="Kind">What the proxy does instead of (or after) forwarding.</param>
/// <param name="Message">The node error message for <see cref="RpcFaultKind.NodeError"/> and <see cref="RpcFaultKind.ForwardThenNodeError"/>.</param>
/// <param name="Code">The JSON-RPC error code of a synthetic node error (geth uses -32000).</param>
public sealed record RpcFault(string Method, RpcFaultKind Kind, string? Message = null, int Code = -32000);
