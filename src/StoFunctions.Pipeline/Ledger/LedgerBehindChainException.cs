namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// The sender's chain nonce is ahead of what the ledger knows (a restored backup, a deleted table, a second
/// deployment on the same key) and the unknown transactions are not read back yet: nothing may be planned or sent
/// for the sender until reconciliation rebuilt their rows (invariant 0). Retryable.
/// </summary>
public sealed class LedgerBehindChainException : PipelineException
{
    /// <summary>Creates the exception.</summary>
    public LedgerBehindChainException(LaneId lane, ulong ledgerNext, ulong chainPending, string reason)
        : base($"Lane {lane}: the chain's pending nonce {chainPending} is ahead of the ledger's next nonce {ledgerNext}; {reason}. Nothing is planned or sent for this sender until reconciliation has read those transactions back; retry in a few seconds.")
    {
        Lane = lane;
        LedgerNext = ledgerNext;
        ChainPending = chainPending;
    }

    /// <summary>The lane.</summary>
    public LaneId Lane { get; }

    /// <summary>The ledger's next nonce when the gap was seen.</summary>
    public ulong LedgerNext { get; }

    /// <summary>The chain's pending transaction count when the gap was seen.</summary>
    public ulong ChainPending { get; }
}
