namespace StoFunctions.Pipeline.Ledger;

/// <summary>A ledger row rebuilt from the chain and, when its transaction carries a business-key tag, the key's 28-byte hash.</summary>
/// <param name="Row">The transaction row (Confirmed, Mined, Failed or NonceConsumedExternally).</param>
/// <param name="KeyHash">The tag's key hash, from which the idempotency row is rebuilt; null for fillers, foreign and missing transactions.</param>
public sealed record RecoveredRow(LedgerTransaction Row, byte[]? KeyHash);
