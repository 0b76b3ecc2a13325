using Microsoft.DurableTask.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Payouts;

/// <summary>
/// <c>POST /api/tokens/{token}/payouts/{payoutId}/push</c>: pays every holder of the payout's snapshot with
/// <c>batchPush</c> transactions sized to the block gas limit (<see cref="PushBatches"/>).
/// <para>
/// Holders: the scanner's cap table at the block that took the snapshot, empty holders included (a holder who sold
/// everything later in that block still held at the snapshot), scanned up to that block first when needed; then
/// <c>entitlement</c> per candidate (batched <c>eth_call</c>s) keeps exactly those the contract would pay.
/// </para>
/// <para>
/// Nobody is paid twice: the contract skips paid holders, and the batches are cut from the sorted entitled list,
/// each under the business key <c>{distributor}/{payoutId}/push/{size}/{index}</c>, so re-running (same or new
/// idempotency key) adopts the batches already planned; a batch whose holders are all paid otherwise is skipped.
/// </para>
/// </summary>
public sealed class PushPayout(IssuerChain chain, TokenScanner scanner, CapTableBuilder capTables) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "payout-push";

    /// <summary><c>POST /api/tokens/{token}/payouts/{payoutId}/push</c>.</summary>
    [Function("PushPayout")]
    public static Task<IResult> PushPayoutAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/payouts/{payoutId}/push")] HttpRequest request, string token, string payoutId, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "payout-push", bodyOptional: true, ("token", token), ("payoutId", payoutId));

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        ActionInput.RejectUnknown(reader, input, Name, "payoutId");
        Address? token = reader.Address("token");
        long? id = reader.Integer("payoutId", 1, long.MaxValue, required: true, allowText: true);
        reader.ThrowIfInvalid();

        PayoutLookup.Payout? payout = await PayoutLookup.FindAsync(chain, reader, token!.Value, (ulong)id!.Value, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        BlockHeader head = await ActionReads.LatestBlockAsync(chain.Rpc, cancellationToken).ConfigureAwait(false);
        if (payout!.Reclaimed || head.Timestamp > payout.ClaimDeadline)
        {
            reader.Add("payoutId", $"Payout {id} is closed (deadline {ActionReads.IsoTime(payout.ClaimDeadline)}{(payout.Reclaimed ? ", reclaimed" : "")}); nothing can be pushed.");
            reader.ThrowIfInvalid();
        }

        ulong snapshotBlock = await ActionReads.SnapshotBlockAsync(chain.Rpc, token.Value, payout.SnapshotId, head.Number, cancellationToken).ConfigureAwait(false);
        CapTable table;
        try
        {
            ScanCursor? cursor = await scanner.Store.GetCursorAsync(token.Value, cancellationToken).ConfigureAwait(false);
            if (cursor is null || cursor.LastBlock < snapshotBlock)
            {
                await scanner.ScanAsync(token.Value, toBlock: snapshotBlock, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            table = await capTables.BuildAsync(token.Value, new CapTableQuery { AtBlock = snapshotBlock, IncludeEmpty = true, MaxEntries = int.MaxValue, OrderBy = CapTableOrder.Address, Descending = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (ScanException e)
        {
            reader.Add("token", $"The holders of snapshot {payout.SnapshotId} (block {snapshotBlock}) could not be read: {e.Message}");
            reader.ThrowIfInvalid();
            return [];
        }

        Address distributor = payout.Distributor;
        var payoutId = (UInt256)payout.Id;
        Address[] candidates = [.. table.Holders.Select(h => Address.Parse(h.Address)).Order()];
        byte[]?[] entitlements = await ActionReads.CallManyAsync(chain.Rpc, [.. candidates.Select(h => (distributor, PayoutDistributorContract.Entitlement(payoutId, h)))], BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        byte[]?[] claimed = await ActionReads.CallManyAsync(chain.Rpc, [.. candidates.Select(h => (distributor, PayoutDistributorContract.HasClaimed(payoutId, h)))], BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        var entitled = new List<(Address Holder, bool Paid)>();
        for (int i = 0; i < candidates.Length; i++)
        {
            if (entitlements[i] is not { Length: >= 32 } e || claimed[i] is not { Length: >= 32 } c)
            {
                reader.Add("payoutId", $"The distributor did not answer entitlement/hasClaimed for {candidates[i]}; retry.");
                reader.ThrowIfInvalid();
                return [];
            }

            if (!PayoutDistributorContract.DecodeEntitlement(e).IsZero)
            {
                entitled.Add((candidates[i], PayoutDistributorContract.DecodeHasClaimed(c)));
            }
        }

        if (entitled.Count == 0)
        {
            reader.Add("payoutId", $"No holder of snapshot {payout.SnapshotId} is entitled to payout {id} (all excluded or empty).");
            reader.ThrowIfInvalid();
        }

        int size = PushBatches.Size(head.GasLimit);
        int batches = (entitled.Count + size - 1) / size;
        var intents = new List<TransactionIntent>();
        for (int b = 0; b < batches; b++)
        {
            List<(Address Holder, bool Paid)> batch = entitled.Skip(b * size).Take(size).ToList();
            string key = string.Create(CultureInfo.InvariantCulture, $"{distributor.ToLowerHex()}/{payout.Id}/push/{size}/{b}");
            bool planned = await chain.Ledger.TryGetBusinessKeyAsync(chain.Lane, key, cancellationToken).ConfigureAwait(false) is not null;
            if (!planned && batch.All(h => h.Paid))
            {
                continue;
            }

            intents.Add(new TransactionIntent
            {
                To = distributor,
                Data = PayoutDistributorContract.BatchPush(payoutId, [.. batch.Select(h => h.Holder)]),
                BusinessKey = key,
                Note = string.Create(CultureInfo.InvariantCulture, $"push payout {payout.Id} to {batch.Count} holders (batch {b + 1} of {batches})"),
            });
        }

        if (intents.Count == 0)
        {
            reader.Add("payoutId", $"All {entitled.Count} entitled holders of payout {id} are already paid; nothing to push.");
            reader.ThrowIfInvalid();
        }

        // The per-holder budget only sizes the batches (and so their business keys); each batch's limit is its own
        // estimate plus margin, so an asset whose transfers cost more than the budget assumes still gets enough,
        // and a batch that would revert refuses the command with the decoded reason.
        ulong[] limits = await GasLimits.EstimateManyAsync(chain, reader, [.. intents.Select(t => ("payoutId", new CallRequest { To = t.To, Data = t.Data }, "batchPush"))], cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [.. intents.Select((t, k) => t with { GasLimit = limits[k] })];
    }
}
