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
/// <c>vote(ballotId, option)</c>; <c>GET /api/tokens/{token}/ballots</c> lists ballots with ids and results.
/// </summary>
public sealed class CreateBallot(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "ballot-create";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder api) => api.MapPost("tokens/{token}/ballots", (string token, HttpContext context) =>
        CommandEndpoint.SubmitBodyAsync(context, "ballot-create", bodyOptional: false, ("token", token))).WithName("CreateBallot");

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

        await ActionContracts.CheckUsableAsync(chain, reader, token.Value, ActionContracts.Ballot, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();

        byte[] deploy = BallotContract.Deploy(token.Value, chain.Issuer);
        ulong deployGas = await rpc.EstimateGasAsync(new CallRequest { From = chain.Issuer, Data = deploy }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return
        [
            new() { Data = deploy, GasLimit = deployGas + (deployGas / 5), Note = "deploy Ballot", BusinessKey = ActionContracts.BusinessKey(token.Value, ActionContracts.Ballot), OutputName = "ballotContract" },
            new()
            {
                ToCreatedBy = 0,
                Data = BallotContract.CreateBallot(metadataHash, uri, (byte)options!.Value, opens, end!.Value, (UInt256)(ulong)snapshotId!.Value),
                GasLimit = 250_000 + ((ulong)options.Value * 25_000) + ((ulong)uri.Length * 700),
                Note = $"open a ballot with {options} options on snapshot {snapshotId}",
            },
        ];
    }
}
