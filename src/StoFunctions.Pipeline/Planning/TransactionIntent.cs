using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Planning;

/// <summary>
/// One transaction a command wants on chain, before it has a nonce. Exactly one of <see cref="To"/>,
/// <see cref="ToCreatedBy"/> is set, or neither for a contract creation.
/// </summary>
public sealed record TransactionIntent
{
    /// <summary>The recipient, or null for a contract creation or when <see cref="ToCreatedBy"/> is set.</summary>
    public Address? To { get; init; }

    /// <summary>
    /// The index (within the same command) of an earlier creation intent whose contract is the recipient;
    /// resolved to the CREATE address predicted from sender and nonce (EIP-161 / yellow paper §7).
    /// </summary>
    public int? ToCreatedBy { get; init; }

    /// <summary>Calldata, or creation code plus constructor arguments for a creation.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>
    /// Builds the calldata once the addresses of earlier creations are known (e.g. a token whose constructor
    /// takes the registry created two transactions before). Overrides <see cref="Data"/> when set.
    /// </summary>
    public Func<PlannedAddresses, byte[]>? DataFactory { get; init; }

    /// <summary>Wei sent with the transaction.</summary>
    public UInt256 Value { get; init; }

    /// <summary>The gas limit; the planner estimates or fixes it (the lane never re-estimates signed work).</summary>
    public ulong GasLimit { get; init; }

    /// <summary>A human note shown in status output (never investor PII).</summary>
    public string Note { get; init; } = "";

    /// <summary>
    /// The business key that must map to at most one nonce, e.g. <c>{token}/{externalId}</c>. When null,
    /// <c>{commandId}/{index}</c> is used, which still makes re-planning after a crash idempotent.
    /// </summary>
    public string? BusinessKey { get; init; }

    /// <summary>
    /// The planner read <see cref="BusinessKey"/> and found no idempotency row in either row-key format, so the
    /// allocator does not read it again: a legacy row is never written any more, and a current one written since
    /// (a concurrent command, a reconciliation) makes the row's insert fail, which adopts or refuses exactly as the
    /// read would have. False (the default) when not read, or found.
    /// </summary>
    public bool KeyAbsentWhenPlanned { get; init; }

    /// <summary>
    /// The canonical content of the business key (e.g. <c>to 0x… amount 50</c>: lower-case address, amount in
    /// base units), stored with its idempotency row. A later intent with the same business key and other content
    /// is refused as a conflict (HTTP 409) instead of silently adopting the earlier transaction. Null: not compared.
    /// </summary>
    public string? Content { get; init; }

    /// <summary>Where a conflict of this intent is reported in the errors of a 409, e.g. <c>rows[3]</c>; null: <c>businessKey</c>.</summary>
    public string? ErrorField { get; init; }

    /// <summary>When set, the command's output carries the created contract address under this name (e.g. <c>tokenAddress</c>).</summary>
    public string? OutputName { get; init; }

    /// <summary>
    /// Sends the call data without the business-key tag (<c>BusinessKeyTag</c>). Set it only for a plain ETH
    /// transfer to an address with code: a contract's <c>receive()</c> runs only for empty call data, and its
    /// fallback may refuse a tag. Such a transaction cannot be told apart from a foreign one after a lost ledger.
    /// </summary>
    public bool OmitTag { get; init; }

    /// <summary>True for a contract creation.</summary>
    public bool IsCreation => To is null && ToCreatedBy is null;
}
