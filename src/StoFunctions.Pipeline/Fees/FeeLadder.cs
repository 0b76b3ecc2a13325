using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Fees;

/// <summary>
/// Fee arithmetic of first attempts and replacements (pure). Replacements follow geth's
/// <c>legacypool/list.go</c> rule for both fields with OP txmgr's ceil rounding
/// (<c>calcThresholdValue</c> = ceil(x·110/100), which "guarantees that x is increased by at least 1"), so a
/// replacement is never refused as underpriced by geth, and is never above the lane's cap (invariant 6).
/// </summary>
public static class FeeLadder
{
    /// <summary>geth's default <c>PriceBump</c> for non-blob transactions.</summary>
    public const int GethPriceBumpPercent = 10;

    /// <summary>
    /// Fees of a first attempt: tip = max(suggested tip, policy minimum); max fee = base fee × multiplier + tip,
    /// both limited by the cap.
    /// </summary>
    public static FeePair Initial(UInt256 baseFee, UInt256 suggestedTip, FeePolicy policy)
    {
        UInt256 tip = Max(suggestedTip, policy.MinPriorityFeePerGas);
        UInt256 maxFee = baseFee * (UInt256)(ulong)policy.BaseFeeMultiplier + tip;
        maxFee = Min(maxFee, policy.MaxFeePerGasCap);
        return new FeePair(maxFee, Min(tip, maxFee));
    }

    /// <summary>The smallest value geth accepts as a replacement of <paramref name="old"/>: ceil(old × 110 / 100), at least old + 1.</summary>
    public static UInt256 MinimumReplacement(UInt256 old)
    {
        UInt256 raised = CeilPercent(old, 100 + GethPriceBumpPercent);
        UInt256 plusOne = old + UInt256.One;
        return Max(raised, plusOne);
    }

    /// <summary>
    /// The fees of the next attempt after <paramref name="highest"/> (the highest earlier attempt): both fields
    /// raised by the policy's bump (at least geth's +10 % rounded up, +1 wei minimum), the tip at least the
    /// market tip and the max fee at least base fee + tip; capped. Null when the cap leaves no valid
    /// replacement: the caller keeps rebroadcasting the highest attempt instead (no busy loop at the cap).
    /// </summary>
    public static FeePair? Bump(FeePair highest, UInt256 baseFee, UInt256 marketTip, FeePolicy policy)
    {
        int percent = Math.Max(policy.BumpPercent, GethPriceBumpPercent);
        UInt256 tip = Max(Max(CeilPercent(highest.MaxPriorityFeePerGas, 100 + percent), MinimumReplacement(highest.MaxPriorityFeePerGas)), marketTip);
        UInt256 maxFee = Max(CeilPercent(highest.MaxFeePerGas, 100 + percent), MinimumReplacement(highest.MaxFeePerGas));
        maxFee = Max(maxFee, baseFee + tip);
        maxFee = Min(maxFee, policy.MaxFeePerGasCap);
        tip = Min(tip, maxFee);
        var next = new FeePair(maxFee, tip);
        bool raisedEnough = maxFee >= MinimumReplacement(highest.MaxFeePerGas) && tip >= MinimumReplacement(highest.MaxPriorityFeePerGas);
        return raisedEnough ? next : null;
    }

    /// <summary>
    /// True when geth would accept <paramref name="next"/> as a replacement of <paramref name="old"/>: both
    /// fields strictly greater and at least old × 110 / 100 (integer division, as geth computes it).
    /// </summary>
    public static bool IsValidReplacement(FeePair old, FeePair next) =>
        next.MaxFeePerGas > old.MaxFeePerGas && next.MaxPriorityFeePerGas > old.MaxPriorityFeePerGas
        && next.MaxFeePerGas >= old.MaxFeePerGas * (UInt256)110UL / (UInt256)100UL
        && next.MaxPriorityFeePerGas >= old.MaxPriorityFeePerGas * (UInt256)110UL / (UInt256)100UL;

    private static UInt256 CeilPercent(UInt256 value, int percent)
    {
        UInt256 scaled = value * (UInt256)(ulong)percent;
        UInt256 hundred = (UInt256)100UL;
        UInt256 quotient = scaled / hundred;
        return (scaled % hundred).IsZero ? quotient : quotient + UInt256.One;
    }

    private static UInt256 Max(UInt256 a, UInt256 b) => a >= b ? a : b;

    private static UInt256 Min(UInt256 a, UInt256 b) => a <= b ? a : b;
}
