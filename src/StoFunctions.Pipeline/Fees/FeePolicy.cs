using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Fees;

/// <summary>Per-lane fee settings; the cap comes from host.json <c>stoFunctions.feeCapGwei</c> when set.</summary>
public sealed record FeePolicy
{
    /// <summary>The highest <c>maxFeePerGas</c> the lane ever signs. Default 500 gwei.</summary>
    public UInt256 MaxFeePerGasCap { get; init; } = (UInt256)500_000_000_000UL;

    /// <summary>The tip of a first attempt when the node suggests less. Default 1 gwei (OP txmgr MinTipCapGwei).</summary>
    public UInt256 MinPriorityFeePerGas { get; init; } = (UInt256)1_000_000_000UL;

    /// <summary>
    /// Percentage added by a bump. Default 20 (Chainlink, thirdweb); values below geth's 10 are raised to 10
    /// because the node would refuse the replacement anyway.
    /// </summary>
    public int BumpPercent { get; init; } = 20;

    /// <summary>
    /// How many base fees a first attempt allows for (EIP-1559 lets the base fee rise 12.5 % per block, so 2
    /// covers about six full blocks). Default 2.
    /// </summary>
    public int BaseFeeMultiplier { get; init; } = 2;
}
