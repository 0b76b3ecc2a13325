using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Ballots;

/// <summary>
/// <c>GET /api/tokens/{token}/ballots</c> and <c>GET /api/tokens/{token}/ballots/{ballotId}</c>: the token's ballot
/// contract and its ballots with the snapshot-weighted results per option (in token units and raw).
/// </summary>
public static class GetBallots
{
    /// <summary><c>GET /api/tokens/{token}/ballots</c>.</summary>
    [Function("ListBallots")]
    public static Task<IResult> ListBallotsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/ballots")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, null, request.HttpContext.RequestServices.GetRequiredService<IssuerChain>(), cancellationToken);

    /// <summary><c>GET /api/tokens/{token}/ballots/{ballotId}</c>.</summary>
    [Function("GetBallot")]
    public static Task<IResult> GetBallotAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/ballots/{ballotId}")] HttpRequest request, string token, string ballotId, CancellationToken cancellationToken) =>
        HandleAsync(token, ballotId, request.HttpContext.RequestServices.GetRequiredService<IssuerChain>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string token, string? ballotId, IssuerChain chain, CancellationToken cancellationToken)
    {
        (Address address, Address contract, ulong? one, IResult? problem) = await ActionRoute.ResolveAsync(token, ballotId, "ballot", ActionContracts.Ballot, "ballots", chain, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        JsonRpcClient rpc = chain.Rpc;
        int decimals = await TokenReads.DecimalsAsync(rpc, address, cancellationToken).ConfigureAwait(false) ?? 0;
        ulong count = (ulong)BallotContract.DecodeBallotCount(await TokenReads.CallAsync(rpc, contract, BallotContract.BallotCount(), cancellationToken).ConfigureAwait(false));
        if (one > count)
        {
            return Problems.Result(404, $"Ballot {one} does not exist on {contract}; it has ballots 1 to {count}.");
        }

        var created = new Dictionary<ulong, string?>();
        foreach (LogEntry log in await ActionReads.LogsAsync(rpc, contract, BallotContract.BallotCreatedTopic, cancellationToken).ConfigureAwait(false))
        {
            created[(ulong)BallotContract.DecodeBallotCreatedEvent(log.Topics, log.Data).BallotId] = log.TransactionHash?.ToString();
        }

        var ballots = new List<Ballot>();
        for (ulong id = one ?? 1; id <= (one ?? count); id++)
        {
            var b = BallotContract.DecodeGetBallot(await TokenReads.CallAsync(rpc, contract, BallotContract.GetBallot(id), cancellationToken).ConfigureAwait(false));
            UInt256[] tallies = BallotContract.DecodeResults(await TokenReads.CallAsync(rpc, contract, BallotContract.Results(id), cancellationToken).ConfigureAwait(false));
            UInt256 votes = tallies.Aggregate(UInt256.Zero, (sum, t) => sum + t);
            ballots.Add(new Ballot(
                id, (ulong)b.SnapshotId, b.Options, ActionReads.IsoTime(b.Start), ActionReads.IsoTime(b.End), b.Uri, b.MetadataHash.ToString(),
                [.. tallies.Select((t, option) => new OptionResult(option, AmountText.Format(t, decimals), t.ToString()))],
                AmountText.Format(votes, decimals), votes.ToString(), created.GetValueOrDefault(id))
            {
                BallotContract = contract.ToString(),
            });
        }

        return one is null
            ? Results.Json(new BallotList(address.ToString(), contract.ToString(), ballots), GetCommand.Json)
            : Results.Json(ballots[0], GetCommand.Json);
    }

    /// <summary>The list body.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="BallotContract">Where holders call <c>vote(ballotId, option)</c>.</param>
    /// <param name="Ballots">Every ballot, by id.</param>
    public sealed record BallotList(string Token, string BallotContract, IReadOnlyList<Ballot> Ballots);

    /// <summary>One ballot.</summary>
    /// <param name="Id">The ballot id.</param>
    /// <param name="SnapshotId">The snapshot whose balances weigh the votes.</param>
    /// <param name="Options">The number of options (0-based).</param>
    /// <param name="Start">Opens (ISO 8601 UTC).</param>
    /// <param name="End">Closes (exclusive).</param>
    /// <param name="Uri">The ballot's document.</param>
    /// <param name="MetadataHash">Hash of that document.</param>
    /// <param name="Results">Votes per option.</param>
    /// <param name="Votes">All votes cast, in token units.</param>
    /// <param name="VotesRaw">The same, raw.</param>
    /// <param name="TransactionHash">The transaction that created the ballot.</param>
    public sealed record Ballot(ulong Id, ulong SnapshotId, int Options, string Start, string End, string Uri, string MetadataHash, IReadOnlyList<OptionResult> Results, string Votes, string VotesRaw, string? TransactionHash)
    {
        /// <summary>The ballot contract (in every answer, so an item read from a list stands on its own).</summary>
        public string? BallotContract { get; init; }
    }

    /// <summary>The votes for one option.</summary>
    /// <param name="Option">The option (0-based, the <c>vote</c> argument).</param>
    /// <param name="Votes">Weight in token units.</param>
    /// <param name="Raw">The same, raw.</param>
    public sealed record OptionResult(int Option, string Votes, string Raw);
}
