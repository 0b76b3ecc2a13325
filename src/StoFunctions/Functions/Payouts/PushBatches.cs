namespace StoFunctions.Functions.Payouts;

/// <summary>
/// Sizes <c>PayoutDistributor.batchPush</c> transactions to the block gas limit. A pushed holder costs about 65k gas
/// with a plain ERC-20 asset (measured 9.61M gas for 149 holders on anvil: the fresh <c>_claimed</c> slot, the asset transfer to a new holder, the
/// token's <c>balanceOfAt</c> and <c>isVerified</c> calls, two events); the budget assumes
/// <see cref="GasPerHolder"/> so assets with hooks fit too, and a batch uses at most half a block, so it is
/// included next to other traffic. The budget only sizes batches: each batch's gas limit is its own estimate
/// (<see cref="Commands.GasLimits"/>).
/// </summary>
public static class PushBatches
{
    /// <summary>The gas budgeted per holder.</summary>
    public const ulong GasPerHolder = 100_000;

    /// <summary>The gas budgeted for the call itself (intrinsic cost, calldata, the payout's storage reads).</summary>
    public const ulong GasPerBatch = 80_000;

    /// <summary>The most holders per batch whatever the gas limit (keeps calldata and a revert's loss small).</summary>
    public const int MaxHolders = 500;

    /// <summary>Holders per batch for a block gas limit of <paramref name="blockGasLimit"/>: half a block, at least 1.</summary>
    public static int Size(ulong blockGasLimit)
    {
        ulong half = blockGasLimit / 2;
        ulong fits = half > GasPerBatch ? (half - GasPerBatch) / GasPerHolder : 0;
        return (int)Math.Clamp(fits, 1UL, (ulong)MaxHolders);
    }
}
