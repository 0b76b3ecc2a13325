namespace StoFunctions.Pipeline.Ledger;

/// <summary>The states of one ledger transaction (one nonce of one lane), design/pipeline.md "Transaction states".</summary>
public enum TransactionState
{
    /// <summary>Nonce assigned and persisted with the intent; nothing signed.</summary>
    Planned,

    /// <summary>At least one attempt's raw bytes are persisted; none sent yet.</summary>
    Signed,

    /// <summary>A node accepted an attempt at least once; no receipt yet.</summary>
    Broadcast,

    /// <summary>A status-1 receipt exists at depth below K.</summary>
    Mined,

    /// <summary>A status-1 receipt at depth ≥ K in the canonical chain, block hash re-checked. Terminal.</summary>
    Confirmed,

    /// <summary>A status-0 receipt at depth ≥ K: the nonce is consumed, the effect did not happen. Terminal.</summary>
    Failed,

    /// <summary>A transaction not signed by this ledger consumed the nonce. Terminal; alerts an operator.</summary>
    NonceConsumedExternally,
}
