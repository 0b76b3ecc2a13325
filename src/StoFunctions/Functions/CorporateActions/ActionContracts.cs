using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.CorporateActions;

/// <summary>
/// The per-token corporate-action contracts (one <c>PayoutDistributor</c>, one <c>Ballot</c> per token, since both
/// bind their token immutably). Their deployment carries the business key <c>{token}/!{kind}</c>, so the ledger's
/// idempotency row is the registry: a second command adopts the first deployment's nonce instead of deploying
/// again, and the address is the CREATE address of that nonce.
/// <para>
/// Internal keys start with <c>!</c> after the token, and user external ids may not start with <c>!</c>
/// (<see cref="ReservedPrefix"/>), so no transfer can take a deployment's key. Until that rule the key was
/// <c>{token}/{kind}</c>, which a transfer with external id <c>ballot</c> or <c>payout-distributor</c> could take
/// first (its nonce then passed for the contract's, and <c>createBallot</c> went to an address without code).
/// Migration: ledgers written before keep working without a rewrite. <see cref="FindAsync"/> reads the new key
/// first and then the old one, and adopts an old-key row only when its ledger transaction really is a creation
/// of the expected contract (a user's transfer under the old key is left alone, and a new deployment is made
/// under the new key); a deployment found under the old key keeps that key, so the allocator adopts it instead
/// of deploying a second contract.
/// </para>
/// </summary>
public static class ActionContracts
{
    /// <summary>The kind of the token's <c>PayoutDistributor</c>.</summary>
    public const string Distributor = "payout-distributor";

    /// <summary>The kind of the token's <c>Ballot</c> contract.</summary>
    public const string Ballot = "ballot";

    /// <summary>What the part after <c>{token}/</c> of an internal business key starts with; user external ids may not.</summary>
    public const string ReservedPrefix = "!";

    /// <summary>The business key of the deployment of <paramref name="kind"/> for <paramref name="token"/>.</summary>
    public static string BusinessKey(Address token, string kind) => token.ToLowerHex() + "/" + ReservedPrefix + kind;

    /// <summary>The key deployments were made under before internal keys had their own namespace (read only).</summary>
    public static string LegacyBusinessKey(Address token, string kind) => token.ToLowerHex() + "/" + kind;

    /// <summary>
    /// The contract of <paramref name="kind"/> for <paramref name="token"/> and its deployment's ledger state, or
    /// null when no command has planned one yet.
    /// </summary>
    public static async Task<(Address Address, TransactionState State)?> FindAsync(IssuerChain chain, Address token, string kind, CancellationToken cancellationToken) =>
        await FindDeploymentAsync(chain, token, kind, cancellationToken).ConfigureAwait(false) is { } d ? (d.Address, d.State) : null;

    /// <summary>
    /// Checks the deployment of <paramref name="kind"/> a command is about to adopt (or that none exists) and
    /// returns the business key for the command's deployment intent. A deployment that failed for good is an
    /// error in <paramref name="reader"/>; one that is not the expected contract (no code at its address, or a
    /// contract that does not answer as a <paramref name="kind"/> of this token) refuses the command with 409,
    /// before anything is sent to it.
    /// </summary>
    /// <exception cref="CommandValidationException">The adopted deployment is not the expected contract (status 409).</exception>
    public static async Task<string> CheckUsableAsync(IssuerChain chain, Commands.InputReader reader, Address token, string kind, CancellationToken cancellationToken)
    {
        Deployment? found = await FindDeploymentAsync(chain, token, kind, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return BusinessKey(token, kind);
        }

        Deployment d = found.Value;
        if (d.State is TransactionState.Failed or TransactionState.NonceConsumedExternally)
        {
            reader.Add("token", $"The {kind} deployment for {token} (address {d.Address}) ended {d.State}; it is recorded under business key '{d.Key}' and cannot be retried automatically. Check GET /api/transactions and the node.");
            return d.Key;
        }

        string? wrong = !d.IsCreationOfKind
            ? $"its nonce {d.Nonce} holds a transaction that is not a {kind} deployment"
            : d.State is TransactionState.Mined or TransactionState.Confirmed ? await CheckDeployedAsync(chain, token, kind, d.Address, cancellationToken).ConfigureAwait(false) : null;
        if (wrong is not null)
        {
            throw new CommandValidationException(
                new Dictionary<string, string[]> { ["token"] = [$"The {kind} contract of {token} recorded under business key '{d.Key}' (address {d.Address}) cannot be used: {wrong}. Nothing was sent; check GET /api/transactions for nonce {d.Nonce}."] },
                409);
        }

        return d.Key;
    }

    // Null when the contract at address is the kind's contract for this token, else what is wrong. Code alone is
    // not enough (any contract has code): token() must name this token and a view only this kind has must answer.
    private static async Task<string?> CheckDeployedAsync(IssuerChain chain, Address token, string kind, Address address, CancellationToken cancellationToken)
    {
        byte[] code = await chain.Rpc.GetCodeAsync(address, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (code.Length == 0)
        {
            return $"there is no code at {address}";
        }

        try
        {
            byte[] tokenOutput = await chain.Rpc.CallAsync(new CallRequest { To = address, Data = kind == Ballot ? BallotContract.Token() : PayoutDistributorContract.Token() }, cancellationToken: cancellationToken).ConfigureAwait(false);
            Address bound = kind == Ballot ? BallotContract.DecodeToken(tokenOutput) : PayoutDistributorContract.DecodeToken(tokenOutput);
            if (bound != token)
            {
                return $"the contract at {address} belongs to token {bound}";
            }

            byte[] count = await chain.Rpc.CallAsync(new CallRequest { To = address, Data = kind == Ballot ? BallotContract.BallotCount() : PayoutDistributorContract.PayoutCount() }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return count.Length < 32 ? $"the contract at {address} does not answer {(kind == Ballot ? "ballotCount()" : "payoutCount()")}" : null;
        }
        catch (Exception e) when (e is JsonRpcException and not JsonRpcTransportException or Ethereum.Abi.AbiException)
        {
            return $"the contract at {address} does not answer as a {kind} ({e.Message})";
        }
    }

    private static async Task<Deployment?> FindDeploymentAsync(IssuerChain chain, Address token, string kind, CancellationToken cancellationToken)
    {
        Deployment? current = await ReadAsync(chain, BusinessKey(token, kind), kind, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            return current;
        }

        Deployment? legacy = await ReadAsync(chain, LegacyBusinessKey(token, kind), kind, cancellationToken).ConfigureAwait(false);
        return legacy is { IsCreationOfKind: true } ? legacy : null;
    }

    private static async Task<Deployment?> ReadAsync(IssuerChain chain, string key, string kind, CancellationToken cancellationToken)
    {
        TableEntity? row = await chain.Ledger.TryGetBusinessKeyAsync(chain.Lane, key, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        ulong nonce = (ulong)row.GetInt64("Nonce")!.Value;
        List<LedgerTransaction> txs = await chain.Ledger.GetTransactionsAsync(chain.Lane, nonce, nonce, cancellationToken).ConfigureAwait(false);
        if (txs.Count != 1)
        {
            // The key row is written with its transaction row in one batch; without one there is nothing to check.
            return new Deployment(key, ContractAddress.Create(chain.Issuer, nonce), TransactionState.Planned, nonce, true);
        }

        byte[] creation = Hex.Decode(kind == Ballot ? BallotContract.Artifact.Bytecode : PayoutDistributorContract.Artifact.Bytecode);
        bool isCreation = txs[0].To is null && txs[0].Data.AsSpan().StartsWith(creation);
        return new Deployment(key, ContractAddress.Create(chain.Issuer, nonce), txs[0].State, nonce, isCreation);
    }

    private readonly record struct Deployment(string Key, Address Address, TransactionState State, ulong Nonce, bool IsCreationOfKind);
}
