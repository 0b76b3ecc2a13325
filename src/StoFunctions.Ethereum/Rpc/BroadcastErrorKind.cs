namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// What an <c>eth_sendRawTransaction</c> failure means for the broadcaster (design/pipeline.md, "Broadcast error → action";
/// research/txpipeline.md §3).
/// </summary>
public enum BroadcastErrorKind
{
    /// <summary>A message no pattern recognises: log it verbatim and treat the attempt as maybe sent.</summary>
    Unknown,

    /// <summary>The same bytes are already in the pool (or mined): same as accepted.</summary>
    AlreadyKnown,

    /// <summary>The nonce was consumed: reconcile receipts of all attempts; a foreign transaction may have used it.</summary>
    NonceTooLow,

    /// <summary>Another transaction holds the nonce and ours does not pay enough more: bump from the highest attempt, or wait.</summary>
    ReplacementUnderpriced,

    /// <summary>The fee is below the node's floor or the block base fee: raise fees within the cap.</summary>
    Underpriced,

    /// <summary>A gap below our nonce: retry a few times, then run gap detection.</summary>
    NonceTooHigh,

    /// <summary>The sender cannot pay value + gas × fee: hold the nonce, alert, resend the same bytes after funding.</summary>
    InsufficientFunds,

    /// <summary>Deterministically invalid (intrinsic gas, block gas limit, bad signature or chain id, oversized, undecodable):
    /// the nonce was not consumed; reuse it for a no-op filler.</summary>
    Fatal,

    /// <summary>The node's own fee cap (<c>--rpc.txfeecap</c>) refused it; another node may have accepted it: keep resending.</summary>
    FeeCapExceeded,

    /// <summary>Timeout, connection reset, HTTP 5xx or 429: the outcome is unknown; resend the same bytes with backoff.</summary>
    MaybeSent,
}
