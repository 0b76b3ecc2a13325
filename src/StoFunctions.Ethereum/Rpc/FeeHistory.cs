using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>The answer of <c>eth_feeHistory</c>: base fees, gas-used ratios and priority-fee percentiles of recent blocks.</summary>
public sealed record FeeHistory
{
    /// <summary>The first block of the range.</summary>
    public required ulong OldestBlock { get; init; }

    /// <summary>Base fee per block, plus one extra entry: the base fee of the block after the newest.</summary>
    public required IReadOnlyList<UInt256> BaseFeePerGas { get; init; }

    /// <summary>gasUsed / gasLimit per block.</summary>
    public required IReadOnlyList<double> GasUsedRatio { get; init; }

    /// <summary>Per block, the priority fee at each requested percentile; empty when none were requested.</summary>
    public required IReadOnlyList<IReadOnlyList<UInt256>> Reward { get; init; }

    internal static FeeHistory FromJson(JsonElement json) => new()
    {
        OldestBlock = RpcJson.ReadUInt64(json, "oldestBlock"),
        BaseFeePerGas = RpcJson.ReadArray(json, "baseFeePerGas", RpcJson.ReadQuantity),
        GasUsedRatio = RpcJson.ReadArray(json, "gasUsedRatio", e => e.GetDouble()),
        Reward = json.TryGetProperty("reward", out JsonElement reward) && reward.ValueKind == JsonValueKind.Array
            ? reward.EnumerateArray().Select(r => (IReadOnlyList<UInt256>)r.EnumerateArray().Select(RpcJson.ReadQuantity).ToArray()).ToArray()
            : [],
    };
}
