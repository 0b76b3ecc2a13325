namespace StoFunctions.Pipeline.Commands;

/// <summary>One transaction in a command's output.</summary>
/// <param name="Nonce">The sender nonce.</param>
/// <param name="Hash">The hash of the attempt that was mined, else of the latest attempt; null before signing.</param>
/// <param name="Status">A <see cref="Ledger.TransactionState"/> name, or <c>Rejected</c> when the node refused the intent for good.</param>
/// <param name="Note">The planner's note.</param>
/// <param name="ContractAddress">The created contract (EIP-55) for a creation, else null.</param>
/// <param name="Error">The decoded revert reason or rejection message, else null.</param>
public sealed record CommandTransaction(ulong Nonce, string? Hash, string Status, string Note, string? ContractAddress, string? Error);
