using Microsoft.DurableTask.Client;
using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Payouts;

/// <summary>
/// <c>POST /api/tokens/{token}/payouts</c> <c>{ asset, amount, snapshotId, claimDeadline, excluded? }</c>: one
/// command of consecutive nonces — deploy the token's <c>PayoutDistributor</c> (only the first time: the deployment's
/// business key <c>{token}/payout-distributor</c> makes later commands adopt it), <c>approve</c> the asset, and
/// <c>createPayout</c>, which pulls <c>amount</c> and fixes the base (supply at the snapshot minus the excluded
/// balances, e.g. the treasury). <c>output.payoutDistributor</c> is the distributor; the payout id is in its
/// <c>PayoutCreated</c> event (<c>output.payoutId</c> once mined), listed by <c>GET /api/tokens/{token}/payouts</c>.
/// </summary>
public sealed class CreatePayout(IssuerChain chain) : ICommandPlanner, ICommandEventOutputs
{
    /// <inheritdoc />
    public IReadOnlyList<EventOutput> EventOutputs { get; } =
        [new("payoutId", PayoutDistributorContract.PayoutCreatedTopic, log => PayoutDistributorContract.DecodePayoutCreatedEvent(log.Topics, log.Data).PayoutId)];

    /// <summary>How far ahead of the head block a claim deadline must be, so the transaction is mined before it.</summary>
    public const ulong MinimumLeadSeconds = 60;

    /// <inheritdoc />
    public string Name => "payout-create";

    /// <summary><c>POST /api/tokens/{token}/payouts</c>.</summary>
    [Function("CreatePayout")]
    public static Task<IResult> CreatePayoutAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/payouts")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "payout-create", bodyOptional: false, ("token", token));

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        ActionInput.RejectUnknown(reader, input, Name, "asset", "amount", "snapshotId", "claimDeadline", "excluded");
        Address? token = reader.Address("token");
        Address? asset = reader.Address("asset");
        long? snapshotId = reader.Integer("snapshotId", 1, long.MaxValue, required: true);
        ulong? deadline = ActionInput.Time(reader, "claimDeadline", required: true);
        List<Address> excluded = ActionInput.Addresses(reader, "excluded");
        if (reader.Member("amount") is null)
        {
            reader.Add("amount", "Required: a decimal string in the asset's units, e.g. \"1000\".");
        }

        reader.ThrowIfInvalid();
        JsonRpcClient rpc = chain.Rpc;
        ulong? current = await ActionReads.CurrentSnapshotIdAsync(rpc, token!.Value, default, cancellationToken).ConfigureAwait(false);
        int? assetDecimals = await TokenReads.DecimalsAsync(rpc, asset!.Value, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            reader.Add("token", $"No SecurityToken answers currentSnapshotId() at {token}; check the address.");
        }
        else if ((ulong)snapshotId!.Value > current)
        {
            reader.Add("snapshotId", $"Snapshot {snapshotId} does not exist; the token's latest is {current}. POST /api/tokens/{token}/snapshots first.");
        }

        if (assetDecimals is null)
        {
            reader.Add("asset", $"No ERC-20 answers decimals() at {asset}; pass the payout asset's token address.");
        }

        reader.ThrowIfInvalid();
        UInt256 amount = reader.Amount("amount", assetDecimals!.Value) ?? UInt256.Zero;
        ulong now = (await ActionReads.LatestBlockAsync(rpc, cancellationToken).ConfigureAwait(false)).Timestamp;
        if (deadline <= now + MinimumLeadSeconds)
        {
            reader.Add("claimDeadline", $"{ActionReads.IsoTime(deadline!.Value)} is not at least {MinimumLeadSeconds} s after the chain's time {ActionReads.IsoTime(now)}; pass a later deadline.");
        }

        var id = (UInt256)(ulong)snapshotId!.Value;
        UInt256 supply = SecurityTokenContract.DecodeTotalSupplyAt(await TokenReads.CallAsync(rpc, token.Value, SecurityTokenContract.TotalSupplyAt(id), cancellationToken).ConfigureAwait(false));
        UInt256 excludedBalance = UInt256.Zero;
        foreach (Address holder in excluded)
        {
            excludedBalance += SecurityTokenContract.DecodeBalanceOfAt(await TokenReads.CallAsync(rpc, token.Value, SecurityTokenContract.BalanceOfAt(holder, id), cancellationToken).ConfigureAwait(false));
        }

        if (excludedBalance >= supply)
        {
            reader.Add("excluded", $"The excluded holders held the whole supply at snapshot {snapshotId}; nobody would be paid.");
        }

        if (reader.Valid)
        {
            UInt256 held = await TokenReads.BalanceAsync(rpc, asset.Value, chain.Issuer, cancellationToken).ConfigureAwait(false);
            if (held < amount)
            {
                reader.Add("amount", $"The issuer {chain.Issuer} holds {AmountText.Format(held, assetDecimals.Value)} of {asset}, less than {AmountText.Format(amount, assetDecimals.Value)}; fund it first.");
            }
        }

        string deployKey = await ActionContracts.CheckUsableAsync(chain, reader, token.Value, ActionContracts.Distributor, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();

        byte[] deploy = PayoutDistributorContract.Deploy(token.Value, chain.Issuer);
        string amountText = AmountText.Format(amount, assetDecimals.Value);
        Address assetAddress = asset.Value;
        Address[] exclusions = [.. excluded];

        // The deployment is estimated. approve and createPayout name or call the distributor, whose address is
        // only known once the nonce is allocated, and createPayout pulls the asset under the allowance the approve
        // before it grants, so neither can be estimated as sent. The approve is estimated with a stand-in spender
        // (an allowance slot of an address that never had one costs the same for any spender); createPayout gets
        // a measured bound (the distributor's own work: ~300k plus ~40k per excluded holder's balanceOfAt) plus
        // the asset's own transfer cost, estimated as a transfer of the amount from the issuer to a stand-in.
        // Measured on anvil 1.7.1 with TestStablecoin and no exclusions: createPayout 200,008 gas against a bound
        // of 300,000 + 62,492 (the transfer's 51,577 with margin).
        Address standIn = ContractAddress.Create(chain.Issuer, ulong.MaxValue);
        ulong[] limits = await GasLimits.EstimateManyAsync(
            chain,
            reader,
            [
                ("token", new CallRequest { Data = deploy }, "PayoutDistributor deployment"),
                ("asset", new CallRequest { To = assetAddress, Data = PlainTokenContract.Approve(standIn, amount) }, $"approve of {asset}"),
                ("asset", new CallRequest { To = assetAddress, Data = PlainTokenContract.Transfer(standIn, amount) }, $"transfer of {asset}"),
            ],
            cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return
        [
            new() { Data = deploy, GasLimit = limits[0], Note = "deploy PayoutDistributor", BusinessKey = deployKey, OutputName = "payoutDistributor" },
            new() { To = assetAddress, DataFactory = created => PlainTokenContract.Approve(created.CreatedBy(0), amount), GasLimit = limits[1], Note = $"approve {amountText} for the payout" },
            new()
            {
                ToCreatedBy = 0,
                Data = PayoutDistributorContract.CreatePayout(assetAddress, amount, id, deadline!.Value, exclusions),
                GasLimit = CreatePayoutBound(exclusions.Length, limits[2]),
                Note = $"create a payout of {amountText} on snapshot {snapshotId}",
            },
        ];
    }

    /// <summary>The measured bound of <c>createPayout</c> with <paramref name="excluded"/> exclusions and an asset transfer limit of <paramref name="assetTransferLimit"/>.</summary>
    public static ulong CreatePayoutBound(int excluded, ulong assetTransferLimit) =>
        300_000 + ((ulong)excluded * 40_000) + assetTransferLimit;
}
