using System.Globalization;
using System.Text;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Payouts;
using StoFunctions.Functions.Tokens;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/tokens/{token}/payouts/{payoutId}/holders</c> [sto payout-holders]: each holder of the payout's
/// snapshot with its amount (the contract's <c>entitlement</c>) and claim status, by address. The holders are the
/// scanner's cap table at the block that took the snapshot (scanned up to it first when needed, as
/// <c>payout-push</c> does); status and amounts are the distributor's views at the head, and a claimed holder
/// carries the transaction of its <c>PayoutClaimed</c> event. <c>Accept: text/csv</c> gives CSV through the formula guard.
/// </summary>
public static class GetPayoutHolders
{
    private static readonly string[] s_csvHeader = ["holder", "snapshotBalance", "amount", "amountRaw", "status", "claimBlock", "claimTransactionHash"];

    /// <summary><c>GET /api/tokens/{token}/payouts/{payoutId}/holders</c>.</summary>
    [Function("GetPayoutHolders")]
    public static Task<IResult> GetPayoutHoldersAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/payouts/{payoutId}/holders")] HttpRequest request, string token, string payoutId, CancellationToken cancellationToken)
    {
        IServiceProvider services = request.HttpContext.RequestServices;
        return HandleAsync(token, payoutId, request, services.GetRequiredService<IssuerChain>(), services.GetRequiredService<TokenScanner>(), services.GetRequiredService<CapTableBuilder>(), cancellationToken);
    }

    private static async Task<IResult> HandleAsync(string tokenText, string payoutIdText, HttpRequest request, IssuerChain chain, TokenScanner scanner, CapTableBuilder capTables, CancellationToken cancellationToken)
    {
        (Address token, Address _, ulong? id, IResult? problem) = await ActionRoute.ResolveAsync(tokenText, payoutIdText, "payout", ActionContracts.Distributor, "payouts", chain, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var reader = new InputReader(default);
        PayoutLookup.Payout? payout = await PayoutLookup.FindAsync(chain, reader, token, id!.Value, cancellationToken).ConfigureAwait(false);
        if (payout is null)
        {
            return Problems.Result(404, string.Join(" ", reader.Errors.SelectMany(e => e.Value)), reader.Errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        JsonRpcClient rpc = chain.Rpc;
        BlockHeader head = await ActionReads.LatestBlockAsync(rpc, cancellationToken).ConfigureAwait(false);
        ulong snapshotBlock = await ActionReads.SnapshotBlockAsync(rpc, token, payout.SnapshotId, head.Number, cancellationToken).ConfigureAwait(false);
        CapTable table;
        try
        {
            ScanCursor? cursor = await scanner.Store.GetCursorAsync(token, cancellationToken).ConfigureAwait(false);
            if (cursor is null || cursor.LastBlock < snapshotBlock)
            {
                await scanner.ScanAsync(token, toBlock: snapshotBlock, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            table = await capTables.BuildAsync(token, new CapTableQuery { AtBlock = snapshotBlock, IncludeEmpty = false, MaxEntries = int.MaxValue, OrderBy = CapTableOrder.Address, Descending = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (ScanException e)
        {
            return Problems.Result(503, $"The holders of snapshot {payout.SnapshotId} (block {snapshotBlock}) of {token} could not be read: {e.Message}");
        }

        Address distributor = payout.Distributor;
        var payoutId = (UInt256)payout.Id;
        CapTableEntry[] holders = [.. table.Holders.OrderBy(h => Address.Parse(h.Address))];
        Address[] addresses = [.. holders.Select(h => Address.Parse(h.Address))];
        byte[]?[] entitlements = await ActionReads.CallManyAsync(rpc, [.. addresses.Select(h => (distributor, PayoutDistributorContract.Entitlement(payoutId, h)))], head.Number, cancellationToken).ConfigureAwait(false);
        byte[]?[] claimed = await ActionReads.CallManyAsync(rpc, [.. addresses.Select(h => (distributor, PayoutDistributorContract.HasClaimed(payoutId, h)))], head.Number, cancellationToken).ConfigureAwait(false);
        byte[]?[] excluded = await ActionReads.CallManyAsync(rpc, [.. addresses.Select(h => (distributor, PayoutDistributorContract.IsExcluded(payoutId, h)))], head.Number, cancellationToken).ConfigureAwait(false);

        byte[] idTopic = payoutId.ToBigEndian();
        ulong from = await ChainLogs.CreationBlockAsync(rpc, distributor, head.Number, cancellationToken).ConfigureAwait(false) ?? 0;
        var claims = new Dictionary<Address, LogEntry>();
        var withheld = new HashSet<Address>();
        foreach (LogEntry log in await ChainLogs.GetAsync(rpc, distributor, [PayoutDistributorContract.PayoutClaimedTopic, PayoutDistributorContract.PayoutWithheldTopic], from, head.Number, cancellationToken, Hash32.FromBytes(idTopic)).ConfigureAwait(false))
        {
            Address holder = Address.FromBytes(log.Topics[2].ToArray().AsSpan(12));
            if (log.Topics[0] == PayoutDistributorContract.PayoutClaimedTopic)
            {
                claims[holder] = log;
            }
            else
            {
                withheld.Add(holder);
            }
        }

        int decimals = await TokenReads.DecimalsAsync(rpc, payout.Asset, cancellationToken).ConfigureAwait(false) ?? 0;
        var rows = new List<PayoutHolder>();
        for (int i = 0; i < addresses.Length; i++)
        {
            if (entitlements[i] is not { Length: >= 32 } e || claimed[i] is not { Length: >= 32 } c || excluded[i] is not { Length: >= 32 } x)
            {
                return Problems.Result(503, $"The distributor {distributor} did not answer entitlement/hasClaimed/isExcluded for {addresses[i]}; retry.");
            }

            UInt256 amount = PayoutDistributorContract.DecodeEntitlement(e);
            bool isExcluded = PayoutDistributorContract.DecodeIsExcluded(x);
            string status = PayoutDistributorContract.DecodeHasClaimed(c) ? "Claimed"
                : isExcluded ? "Excluded"
                : amount.IsZero ? "NothingToClaim"
                : withheld.Contains(addresses[i]) ? "Withheld"
                : payout.Reclaimed || head.Timestamp > payout.ClaimDeadline ? "Expired"
                : "Unclaimed";
            LogEntry? claim = claims.GetValueOrDefault(addresses[i]);
            rows.Add(new PayoutHolder(addresses[i].ToString(), UInt256.TryParse(holders[i].Raw, out UInt256 raw) ? AmountText.Format(raw, table.Decimals) : holders[i].Balance, AmountText.Format(amount, decimals), amount.ToString(), status, claim?.BlockNumber, claim?.TransactionHash?.ToString()));
        }

        if (request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Text(Csv(rows), "text/csv", Encoding.UTF8);
        }

        return Results.Json(new PayoutHolders(token.ToString(), distributor.ToString(), payout.Id, payout.Asset.ToString(), payout.SnapshotId, snapshotBlock, head.Number, rows), GetCommand.Json);
    }

    private static string Csv(IEnumerable<PayoutHolder> rows)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new FormulaSafeCsvWriter(text))
        {
            foreach (string header in s_csvHeader)
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (PayoutHolder r in rows)
            {
                foreach (string? cell in new[] { r.Holder, r.SnapshotBalance, r.Amount, r.AmountRaw, r.Status, r.ClaimBlock?.ToString(CultureInfo.InvariantCulture), r.ClaimTransactionHash })
                {
                    csv.WriteField(cell);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    /// <summary>The JSON answer.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="Distributor">The token's PayoutDistributor.</param>
    /// <param name="PayoutId">The payout.</param>
    /// <param name="Asset">The paid ERC-20.</param>
    /// <param name="SnapshotId">The snapshot the shares follow.</param>
    /// <param name="SnapshotBlock">The block that took it (the cap table's block).</param>
    /// <param name="AtBlock">The block the claim status was read at.</param>
    /// <param name="Holders">Holders at the snapshot, by address.</param>
    public sealed record PayoutHolders(string Token, string Distributor, ulong PayoutId, string Asset, ulong SnapshotId, ulong SnapshotBlock, ulong AtBlock, IReadOnlyList<PayoutHolder> Holders);

    /// <summary>One holder's share.</summary>
    /// <param name="Holder">EIP-55 address.</param>
    /// <param name="SnapshotBalance">Token balance at the snapshot, in token units.</param>
    /// <param name="Amount">Its share (<c>entitlement</c>), in the asset's units; 0 when excluded.</param>
    /// <param name="AmountRaw">The same, raw.</param>
    /// <param name="Status"><c>Claimed</c> (paid), <c>Unclaimed</c>, <c>Withheld</c> (a push skipped it for failing KYC), <c>Excluded</c>, <c>NothingToClaim</c> or <c>Expired</c> (deadline passed or reclaimed).</param>
    /// <param name="ClaimBlock">Block of its <c>PayoutClaimed</c> event.</param>
    /// <param name="ClaimTransactionHash">That event's transaction.</param>
    public sealed record PayoutHolder(string Holder, string SnapshotBalance, string Amount, string AmountRaw, string Status, ulong? ClaimBlock, string? ClaimTransactionHash);
}
