using Microsoft.DurableTask.Client;
using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Ballots;

/// <summary>
/// <c>POST /api/tokens/{token}/ballots</c> <c>{ snapshotId, options, end, start?, uri?, metadataHash? }</c>: deploy
/// the token's <c>Ballot</c> contract the first time (business key <c>{token}/ballot</c>, later commands adopt it)
/// and open a ballot weighted by balances at the snapshot. <c>output.ballotContract</c> is where holders send
/// <c>vote(ballotId, option)</c> with <c>output.ballotId</c> (from its <c>BallotCreated</c> event); <c>GET /api/tokens/{token}/ballots</c> lists ballots with ids and results.
/// </summary>
public sealed class CreateBallot(IssuerChain chain) : ICommandPlanner, ICommandEventOutputs
{
    /// <inheritdoc />
    public IReadOnlyList<EventOutput> EventOutputs { get; } =
        [new("ballotId", BallotContract.BallotCreatedTopic, log => BallotContract.DecodeBallotCreatedEvent(log.Topics, log.Data).BallotId)];

    /// <inheritdoc />
    public string Name => "ballot-create";

    /// <summary><c>POST /api/tokens/{token}/ballots</c>.</summary>
    [Function("CreateBallot")]
    public static Task<IResult> CreateBallotAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/ballots")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "ballot-create", bodyOptional: false, ("token", token));

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        ActionInput.RejectUnknown(reader, input, Name, "snapshotId", "options", "start", "end", "uri", "metadataHash");
        Address? token = reader.Address("token");
        long? snapshotId = reader.Integer("snapshotId", 1, long.MaxValue, required: true);
        long? options = reader.Integer("options", 2, byte.MaxValue, required: true);
        ulong? start = ActionInput.Time(reader, "start", required: false);
        ulong? end = ActionInput.Time(reader, "end", required: true);
        string uri = reader.Uri("uri", required: false) ?? "";
        Hash32 metadataHash = ActionInput.Hash(reader, "metadataHash");
        reader.ThrowIfInvalid();

        JsonRpcClient rpc = chain.Rpc;
        ulong? current = await ActionReads.CurrentSnapshotIdAsync(rpc, token!.Value, default, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            reader.Add("token", $"No SecurityToken answers currentSnapshotId() at {token}; check the address.");
        }
        else if ((ulong)snapshotId!.Value > current)
        {
            reader.Add("snapshotId", $"Snapshot {snapshotId} does not exist; the token's latest is {current}. POST /api/tokens/{token}/snapshots first.");
        }

        ulong now = (await ActionReads.LatestBlockAsync(rpc, cancellationToken).ConfigureAwait(false)).Timestamp;
        ulong opens = start ?? now;
        if (end <= now + Payouts.CreatePayout.MinimumLeadSeconds)
        {
            reader.Add("end", $"{ActionReads.IsoTime(end!.Value)} is not at least {Payouts.CreatePayout.MinimumLeadSeconds} s after the chain's time {ActionReads.IsoTime(now)}; pass a later end.");
        }
        else if (opens >= end)
        {
            reader.Add("start", $"The ballot must open ({ActionReads.IsoTime(opens)}) before it closes ({ActionReads.IsoTime(end!.Value)}).");
        }

        string deployKey = await ActionContracts.CheckUsableAsync(chain, reader, token.Value, ActionContracts.Ballot, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();

        byte[] deploy = BallotContract.Deploy(token.Value, chain.Issuer);
        byte[] open = BallotContract.CreateBallot(metadataHash, uri, (byte)options!.Value, opens, end!.Value, (UInt256)(ulong)snapshotId!.Value);
        ulong deployGas = await GasLimits.EstimateAsync(chain, reader, "token", new CallRequest { Data = deploy }, "Ballot deployment", cancellationToken).ConfigureAwait(false);
        ulong openGas = await OpenGasAsync(reader, token.Value, open, (ulong)options.Value, (ulong)uri.Length, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return
        [
            new() { Data = deploy, GasLimit = deployGas, Note = "deploy Ballot", BusinessKey = deployKey, OutputName = "ballotContract" },
            new()
            {
                ToCreatedBy = 0,
                Data = open,
                GasLimit = openGas,
                Note = $"open a ballot with {options} options on snapshot {snapshotId}",
            },
        ];
    }

    /// <summary>Measured bound of <c>createBallot</c> on a Ballot deployed by the same command (see <see cref="OpenGasAsync"/>).</summary>
    public static ulong FreshBallotOpenBound(ulong options, ulong uriLength) =>
        250_000 + (options * 25_000) + (uriLength * 700) + GasLimits.TagAllowance;

    // createBallot on the token's deployed Ballot is estimated. On a Ballot this command deploys it cannot be (the
    // node has no such contract before the deployment is mined), so it gets a measured bound: a fresh Ballot's
    // state is known, and the cost grows with the options and the uri (~22k gas per 32-byte word of a stored
    // string). Measured on anvil 1.7.1 on a fresh Ballot: 137,697 gas for 2 options and no uri (bound 300,600),
    // 182,914 for 3 options and a 32-byte uri (347,400), 1,100,955 for 255 options and a 500-byte uri (6,975,600).
    private async Task<ulong> OpenGasAsync(InputReader reader, Address token, byte[] open, ulong options, ulong uriLength, CancellationToken cancellationToken)
    {
        (Address Address, Pipeline.Ledger.TransactionState State)? deployed = await ActionContracts.FindAsync(chain, token, ActionContracts.Ballot, cancellationToken).ConfigureAwait(false);
        return deployed is { State: Pipeline.Ledger.TransactionState.Mined or Pipeline.Ledger.TransactionState.Confirmed } d
            ? await GasLimits.EstimateAsync(chain, reader, "snapshotId", new CallRequest { To = d.Address, Data = open }, "createBallot", cancellationToken).ConfigureAwait(false)
            : FreshBallotOpenBound(options, uriLength);
    }
}
