using Microsoft.DurableTask.Client;
using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Payouts;

/// <summary>
/// <c>POST /api/tokens/{token}/payouts/{payoutId}/reclaim</c> <c>{ to? }</c>: after the claim deadline, returns
/// the unclaimed rest and the rounding dust to <c>to</c> (the issuer by default). Refused before the deadline and
/// after an earlier reclaim, as the contract would revert.
/// </summary>
public sealed class ReclaimPayout(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "payout-reclaim";

    /// <summary><c>POST /api/tokens/{token}/payouts/{payoutId}/reclaim</c>.</summary>
    [Function("ReclaimPayout")]
    public static Task<IResult> ReclaimPayoutAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/payouts/{payoutId}/reclaim")] HttpRequest request, string token, string payoutId, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "payout-reclaim", bodyOptional: true, ("token", token), ("payoutId", payoutId));

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        ActionInput.RejectUnknown(reader, input, Name, "payoutId", "to");
        Address? token = reader.Address("token");
        long? id = reader.Integer("payoutId", 1, long.MaxValue, required: true, allowText: true);
        Address to = reader.Member("to") is null ? chain.Issuer : reader.Address("to") ?? chain.Issuer;
        reader.ThrowIfInvalid();

        PayoutLookup.Payout? payout = await PayoutLookup.FindAsync(chain, reader, token!.Value, (ulong)id!.Value, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        ulong now = (await ActionReads.LatestBlockAsync(chain.Rpc, cancellationToken).ConfigureAwait(false)).Timestamp;
        if (payout!.Reclaimed)
        {
            reader.Add("payoutId", $"Payout {id} was already reclaimed.");
        }
        else if (now <= payout.ClaimDeadline)
        {
            reader.Add("payoutId", $"Payout {id} can be claimed until {ActionReads.IsoTime(payout.ClaimDeadline)} (chain time {ActionReads.IsoTime(now)}); reclaim after that.");
        }

        reader.ThrowIfInvalid();
        byte[] data = PayoutDistributorContract.Reclaim((UInt256)payout.Id, to);
        ulong gas = await GasLimits.EstimateAsync(chain, reader, "payoutId", new CallRequest { To = payout.Distributor, Data = data }, $"reclaim of payout {id}", cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { To = payout.Distributor, Data = data, GasLimit = gas, Note = $"reclaim the rest of payout {id}" }];
    }
}
