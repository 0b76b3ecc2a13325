using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>The lane's in-memory view of one open nonce; rebuilt from the ledger after any failure.</summary>
internal sealed class LaneEntry(LedgerTransaction tx, List<LedgerAttempt> attempts)
{
    public LedgerTransaction Tx { get; } = tx;

    public List<LedgerAttempt> Attempts { get; } = attempts;

    public LedgerAttempt? Highest => Attempts.Count == 0 ? null : Attempts[^1];

    /// <summary>A send failed in a way that may still have reached the node.</summary>
    public bool MaybeSent { get; set; }

    public int SendFailures { get; set; }

    public DateTimeOffset NextSendAt { get; set; }

    /// <summary>The node said <c>nonce too low</c>, or the chain's nonce passed ours without a receipt of ours.</summary>
    public bool NeedsReconcile { get; set; }

    public int ReconcileMisses { get; set; }

    /// <summary>
    /// When the search for the transaction that took this nonce may run again after it found none (the node's history
    /// lacks it): every step would otherwise scan the lookback window again.
    /// </summary>
    public DateTimeOffset NextSearchAt { get; set; }

    /// <summary>The "consumed nonce without a transaction" alert was logged for this row (once per lane view).</summary>
    public bool SearchMissAlerted { get; set; }

    public bool BumpNow { get; set; }

    public bool ForceResend { get; set; }

    public bool CapAlerted { get; set; }

    /// <summary>
    /// Consecutive underpriced refusals of an attempt already at the fee cap: the lane cannot bump further, so it
    /// waits (<see cref="NextSendAt"/>, doubling up to ResendAfter) instead of resending at once. 0 once accepted.
    /// </summary>
    public int CapWaits { get; set; }
}
