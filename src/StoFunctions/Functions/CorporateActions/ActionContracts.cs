using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.CorporateActions;

/// <summary>
/// The per-token corporate-action contracts (one <c>PayoutDistributor</c>, one <c>Ballot</c> per token, since both
/// bind their token immutably). Their deployment carries the business key <c>{token}/{kind}</c>, so the ledger's
/// idempotency row is the registry: a second command adopts the first deployment's nonce instead of deploying
/// again, and the address is the CREATE address of that nonce.
/// </summary>
public static class ActionContracts
{
    /// <summary>The kind of the token's <c>PayoutDistributor</c>.</summary>
    public const string Distributor = "payout-distributor";

    /// <summary>The kind of the token's <c>Ballot</c> contract.</summary>
    public const string Ballot = "ballot";

    /// <summary>The business key of the deployment of <paramref name="kind"/> for <paramref name="token"/>.</summary>
    public static string BusinessKey(Address token, string kind) => token.ToLowerHex() + "/" + kind;

    /// <summary>
    /// The contract of <paramref name="kind"/> for <paramref name="token"/> and its deployment's ledger state, or
    /// null when no command has planned one yet.
    /// </summary>
    public static async Task<(Address Address, TransactionState State)?> FindAsync(IssuerChain chain, Address token, string kind, CancellationToken cancellationToken)
    {
        var row = await chain.LedgerRows.GetEntityIfExistsAsync(chain.Lane.PartitionKey, CommandKeys.BusinessKeyRow(BusinessKey(token, kind)), cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is null)
        {
            return null;
        }

        ulong nonce = (ulong)row.Value.GetInt64("Nonce")!.Value;
        List<LedgerTransaction> txs = await chain.Ledger.GetTransactionsAsync(chain.Lane, nonce, nonce, cancellationToken).ConfigureAwait(false);
        TransactionState state = txs.Count == 1 ? txs[0].State : TransactionState.Planned;
        return (ContractAddress.Create(chain.Issuer, nonce), state);
    }

    /// <summary>
    /// Records an error when an earlier deployment of <paramref name="kind"/> failed for good (every command
    /// would adopt that dead nonce), and returns the contract address when one is planned or deployed.
    /// </summary>
    public static async Task<Address?> CheckUsableAsync(IssuerChain chain, Commands.InputReader reader, Address token, string kind, CancellationToken cancellationToken)
    {
        (Address Address, TransactionState State)? found = await FindAsync(chain, token, kind, cancellationToken).ConfigureAwait(false);
        if (found is { State: TransactionState.Failed or TransactionState.NonceConsumedExternally } dead)
        {
            reader.Add("token", $"The {kind} deployment for {token} (address {dead.Address}) ended {dead.State}; it is recorded under business key '{BusinessKey(token, kind)}' and cannot be retried automatically. Check GET /api/transactions and the node.");
        }

        return found?.Address;
    }
}
