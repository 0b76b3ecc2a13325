using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Payouts;

/// <summary>
/// <c>GET /api/tokens/{token}/payouts</c> and <c>GET /api/tokens/{token}/payouts/{payoutId}</c>: the token's
/// distributor and its payouts read on chain, each with the transaction that created it (match it to the create
/// command's last transaction to learn the payout id).
/// </summary>
public static class GetPayouts
{
    /// <summary><c>GET /api/tokens/{token}/payouts</c>.</summary>
    [Function("ListPayouts")]
    public static Task<IResult> ListPayoutsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/payouts")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, null, request.HttpContext.RequestServices.GetRequiredService<IssuerChain>(), cancellationToken);

    /// <summary><c>GET /api/tokens/{token}/payouts/{payoutId}</c>.</summary>
    [Function("GetPayout")]
    public static Task<IResult> GetPayoutAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/payouts/{payoutId}")] HttpRequest request, string token, string payoutId, CancellationToken cancellationToken) =>
        HandleAsync(token, payoutId, request.HttpContext.RequestServices.GetRequiredService<IssuerChain>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string token, string? payoutId, IssuerChain chain, CancellationToken cancellationToken)
    {
        (Address address, Address distributor, ulong? one, IResult? problem) = await ActionRoute.ResolveAsync(token, payoutId, "payout", ActionContracts.Distributor, "payouts", chain, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        JsonRpcClient rpc = chain.Rpc;
        ulong count = (ulong)PayoutDistributorContract.DecodePayoutCount(await TokenReads.CallAsync(rpc, distributor, PayoutDistributorContract.PayoutCount(), cancellationToken).ConfigureAwait(false));
        if (one > count)
        {
            return Problems.Result(404, $"Payout {one} does not exist on {distributor}; it has payouts 1 to {count}.");
        }

        var created = new Dictionary<ulong, string?>();
        foreach (LogEntry log in await ActionReads.LogsAsync(rpc, distributor, PayoutDistributorContract.PayoutCreatedTopic, cancellationToken).ConfigureAwait(false))
        {
            created[(ulong)PayoutDistributorContract.DecodePayoutCreatedEvent(log.Topics, log.Data).PayoutId] = log.TransactionHash?.ToString();
        }

        var payouts = new List<Payout>();
        var decimals = new Dictionary<Address, int>();
        for (ulong id = one ?? 1; id <= (one ?? count); id++)
        {
            var p = PayoutDistributorContract.DecodeGetPayout(await TokenReads.CallAsync(rpc, distributor, PayoutDistributorContract.GetPayout(id), cancellationToken).ConfigureAwait(false));
            if (!decimals.TryGetValue(p.Asset, out int d))
            {
                decimals[p.Asset] = d = await TokenReads.DecimalsAsync(rpc, p.Asset, cancellationToken).ConfigureAwait(false) ?? 0;
            }

            payouts.Add(new Payout(
                id, p.Asset.ToString(), AmountText.Format(p.Amount, d), p.Amount.ToString(), AmountText.Format(p.Claimed, d), p.Claimed.ToString(),
                (ulong)p.SnapshotId, p.Base.ToString(), ActionReads.IsoTime(p.ClaimDeadline), p.ClaimDeadline, p.Reclaimed, created.GetValueOrDefault(id))
            {
                Distributor = distributor.ToString(),
            });
        }

        return one is null
            ? Results.Json(new PayoutList(address.ToString(), distributor.ToString(), payouts), GetCommand.Json)
            : Results.Json(payouts[0], GetCommand.Json);
    }

    /// <summary>The list body.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="Distributor">The token's PayoutDistributor.</param>
    /// <param name="Payouts">Every payout, by id.</param>
    public sealed record PayoutList(string Token, string Distributor, IReadOnlyList<Payout> Payouts);

    /// <summary>One payout.</summary>
    /// <param name="Id">The payout id.</param>
    /// <param name="Asset">The paid ERC-20.</param>
    /// <param name="Amount">Amount received, in the asset's units.</param>
    /// <param name="AmountRaw">The same, raw.</param>
    /// <param name="Claimed">Paid so far, in the asset's units.</param>
    /// <param name="ClaimedRaw">The same, raw.</param>
    /// <param name="SnapshotId">The snapshot the shares follow.</param>
    /// <param name="BaseRaw">Raw token supply at the snapshot minus excluded balances.</param>
    /// <param name="ClaimDeadline">ISO 8601 UTC.</param>
    /// <param name="ClaimDeadlineUnix">Unix seconds.</param>
    /// <param name="Reclaimed">Whether the rest was reclaimed.</param>
    /// <param name="TransactionHash">The transaction that created the payout.</param>
    public sealed record Payout(ulong Id, string Asset, string Amount, string AmountRaw, string Claimed, string ClaimedRaw, ulong SnapshotId, string BaseRaw, string ClaimDeadline, ulong ClaimDeadlineUnix, bool Reclaimed, string? TransactionHash)
    {
        /// <summary>The distributor (in every answer, so an item read from a list stands on its own).</summary>
        public string? Distributor { get; init; }
    }
}
