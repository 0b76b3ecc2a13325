namespace StoFunctions.Pipeline.Ledger;

/// <summary>The nonce view of <c>GET /api/accounts/{address}/nonce</c>.</summary>
/// <param name="NextLedgerNonce">The next nonce the ledger will allocate (null before the first allocation).</param>
/// <param name="ChainLatest">The chain's transaction count at the latest block.</param>
/// <param name="ChainPending">The chain's transaction count including the node's pool.</param>
/// <param name="Restarts">How often an operator re-synced the lane.</param>
public sealed record NonceReport(ulong? NextLedgerNonce, ulong ChainLatest, ulong ChainPending, int Restarts);
