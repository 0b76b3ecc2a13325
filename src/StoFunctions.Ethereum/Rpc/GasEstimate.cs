namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// One outcome of <see cref="JsonRpcClient.EstimateGasManyAsync"/>: the gas the node found, or the node's error for
/// that call alone (a revert carries its data: <see cref="JsonRpcException.TryGetRevertData"/>).
/// </summary>
/// <param name="Gas">The estimate; 0 when <paramref name="Error"/> is set.</param>
/// <param name="Error">The node's refusal of this call, or null.</param>
public readonly record struct GasEstimate(ulong Gas, JsonRpcException? Error)
{
    /// <summary>True when the node answered with an estimate.</summary>
    public bool Succeeded => Error is null;
}
