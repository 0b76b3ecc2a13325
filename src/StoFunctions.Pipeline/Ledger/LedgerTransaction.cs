using Azure;
using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// One nonce of a lane (<c>RowKey = tx-{nonce:D10}</c>): the intent it carries (persisted before signing,
/// invariant 3), its state and, once mined, its receipt facts. Rows never leave the ledger (invariant 5).
/// </summary>
public sealed class LedgerTransaction
{
    /// <summary>The nonce.</summary>
    public required ulong Nonce { get; init; }

    /// <summary>The current state.</summary>
    public TransactionState State { get; set; }

    /// <summary>The recipient; null for a contract creation.</summary>
    public Address? To { get; set; }

    /// <summary>Calldata or creation code.</summary>
    public byte[] Data { get; set; } = [];

    /// <summary>Wei sent.</summary>
    public UInt256 Value { get; set; }

    /// <summary>Gas limit.</summary>
    public ulong GasLimit { get; set; }

    /// <summary>Planner's note.</summary>
    public string Note { get; set; } = "";

    /// <summary>The owning command; empty for fillers and external rows.</summary>
    public string CommandId { get; set; } = "";

    /// <summary>Position of the intent within its command.</summary>
    public int IntentIndex { get; set; }

    /// <summary>The business key this nonce is reserved for.</summary>
    public string BusinessKey { get; set; } = "";

    /// <summary>Named output of a creation (e.g. <c>tokenAddress</c>).</summary>
    public string? OutputName { get; set; }

    /// <summary>
    /// Set when the node refused the intent deterministically (e.g. <c>intrinsic gas too low</c>): the intent is
    /// terminally rejected and this row now carries a 0-value self-transfer filler for the nonce.
    /// </summary>
    public string? RejectedError { get; set; }

    /// <summary>True when the row carries a no-op filler (rejected intent or gap).</summary>
    public bool IsFiller { get; set; }

    /// <summary>How many attempts were persisted.</summary>
    public int Attempts { get; set; }

    /// <summary>The hash of the newest persisted attempt.</summary>
    public Hash32? LatestHash { get; set; }

    /// <summary>The hash of the attempt that was mined.</summary>
    public Hash32? MinedHash { get; set; }

    /// <summary>The block the receipt is in.</summary>
    public ulong? BlockNumber { get; set; }

    /// <summary>That block's hash when the receipt was read (re-checked before confirming).</summary>
    public Hash32? BlockHash { get; set; }

    /// <summary>The address created by a creation.</summary>
    public Address? ContractAddress { get; set; }

    /// <summary>The decoded revert reason of a Failed transaction, or why the nonce was lost.</summary>
    public string? Error { get; set; }

    /// <summary>
    /// True for a row rebuilt from the chain by reconciliation (invariant 0): the ledger had lost it, so its
    /// command id and business key string are unknown (the key's hash is in the call data's tag).
    /// </summary>
    public bool RecoveredFromChain { get; set; }

    /// <summary>When the row was created.</summary>
    public DateTimeOffset CreatedTime { get; set; }

    /// <summary>When the row last changed.</summary>
    public DateTimeOffset UpdatedTime { get; set; }

    /// <summary>The row's ETag.</summary>
    public ETag ETag { get; set; }

    /// <summary>The row key.</summary>
    public string RowKey => LedgerRows.TransactionRow(Nonce);
}
