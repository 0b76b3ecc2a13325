using System.CommandLine;

namespace StoFunctions.Cli.Commands;

/// <summary><c>payout-create</c>, <c>payout-push</c>, <c>payout-reclaim</c>, <c>payout-direct</c>, <c>payout-status</c>.</summary>
public static class PayoutCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string> token = TokenCommands.Token();
        Option<string> asset = CliKit.Required<string>("--asset", "ERC-20 paid out (address)");
        Option<string> amount = CliKit.Required<string>("--amount", "total, in asset units");
        Option<ulong> snapshot = CliKit.Required<ulong>("--snapshot-id", "snapshot whose holders are paid (sto token-snapshot)");
        Option<string> deadline = CliKit.Required<string>("--claim-deadline", "ISO 8601 or Unix seconds, at least 60 s ahead");
        Option<string[]> excluded = new("--exclude") { Description = "address left out of the base, e.g. the treasury (repeat for several)" };
        yield return kit.Submit("payout-create", "create an on-chain payout over a snapshot (output.payoutId) [POST /api/tokens/{token}/payouts]\n  e.g. sto payout-create --token 0x… --asset 0x… --amount 1000 --snapshot-id 1 --claim-deadline 2027-01-31T00:00:00Z", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(token)!)}/payouts",
            r => new JsonBody().Text("asset", r.GetValue(asset)).Text("amount", r.GetValue(amount)).Number("snapshotId", r.GetValue(snapshot))
                .Time("claimDeadline", r.GetValue(deadline)).List("excluded", r.GetValue(excluded)).Object,
            token, asset, amount, snapshot, deadline, excluded);

        Option<string> pushToken = TokenCommands.Token();
        Option<string> pushId = CliKit.Required<string>("--payout-id", "payout id");
        yield return kit.Submit("payout-push", "pay every holder of the payout's snapshot, in batches [POST /api/tokens/{token}/payouts/{payoutId}/push]\n  e.g. sto payout-push --token 0x… --payout-id 1", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(pushToken)!)}/payouts/{CliKit.Segment(r.GetValue(pushId)!)}/push", _ => new JsonBody().Object, pushToken, pushId);

        Option<string> reclaimToken = TokenCommands.Token();
        Option<string> reclaimId = CliKit.Required<string>("--payout-id", "payout id");
        Option<string?> to = CliKit.Optional<string?>("--to", "where the unclaimed rest goes (default the issuer)");
        yield return kit.Submit("payout-reclaim", "take back what was not claimed, after the deadline [POST /api/tokens/{token}/payouts/{payoutId}/reclaim]\n  e.g. sto payout-reclaim --token 0x… --payout-id 1", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(reclaimToken)!)}/payouts/{CliKit.Segment(r.GetValue(reclaimId)!)}/reclaim",
            r => new JsonBody().Text("to", r.GetValue(to)).Object, reclaimToken, reclaimId, to);

        Option<string> directToken = TokenCommands.Token();
        Option<string> externalId = CliKit.Required<string>("--external-id", "your id of this payout (idempotent)");
        Option<string> directAsset = CliKit.Required<string>("--asset", "ETH or an ERC-20 address");
        Option<string> directAmount = CliKit.Required<string>("--amount", "total, in asset units");
        Option<ulong> atBlock = CliKit.Required<ulong>("--at-block", "the cap table at this block is the base");
        Option<string[]> directExcluded = new("--exclude") { Description = "address left out (repeat for several)" };
        yield return kit.Submit("payout-direct", "pro-rata transfers to every holder at a block [POST /api/tokens/{token}/direct-payouts]\n  e.g. sto payout-direct --token 0x… --external-id q1 --asset ETH --amount 100 --at-block 1234", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(directToken)!)}/direct-payouts",
            r => new JsonBody().Text("externalId", r.GetValue(externalId)).Text("asset", r.GetValue(directAsset)).Text("amount", r.GetValue(directAmount))
                .Number("atBlock", r.GetValue(atBlock)).List("excluded", r.GetValue(directExcluded)).Object,
            directToken, externalId, directAsset, directAmount, atBlock, directExcluded);

        Option<string> statusToken = TokenCommands.Token();
        Option<string?> statusId = CliKit.Optional<string?>("--payout-id", "one payout (default: all)");
        yield return kit.Read("payout-status", "the token's payouts: amount, claimed, deadline, reclaimed [GET /api/tokens/{token}/payouts[/{payoutId}]]\n  e.g. sto payout-status --token 0x…",
            r => $"tokens/{CliKit.Segment(r.GetValue(statusToken)!)}/payouts" + (r.GetValue(statusId) is { } id ? "/" + CliKit.Segment(id) : ""), statusToken, statusId);
    }
}
