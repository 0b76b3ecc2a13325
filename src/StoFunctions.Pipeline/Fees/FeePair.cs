using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Fees;

/// <summary>The two EIP-1559 fee fields of one attempt (EIP-1559: <c>max_fee_per_gas</c>, <c>max_priority_fee_per_gas</c>).</summary>
/// <param name="MaxFeePerGas">The most the sender pays per gas (base fee + tip).</param>
/// <param name="MaxPriorityFeePerGas">The tip to the block producer per gas.</param>
public readonly record struct FeePair(UInt256 MaxFeePerGas, UInt256 MaxPriorityFeePerGas)
{
    /// <inheritdoc />
    public override string ToString() => $"maxFee={MaxFeePerGas} tip={MaxPriorityFeePerGas}";
}
