using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Issuer;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Snapshots;

/// <summary>
/// <c>POST /api/tokens/{token}/snapshots</c> (no body): <c>snapshot()</c> on the token. The new id, from the
/// token's <c>Snapshot(id)</c> event, is the command's <c>output.snapshotId</c> once the transaction is mined;
/// <c>GET /api/tokens/{token}/snapshots</c> lists every snapshot with the transaction that took it.
/// </summary>
public sealed class TakeSnapshot(IssuerChain chain) : TokenControl(chain), ICommandEventOutputs
{
    /// <inheritdoc />
    public IReadOnlyList<EventOutput> EventOutputs { get; } =
        [new("snapshotId", SecurityTokenContract.SnapshotTopic, log => SecurityTokenContract.DecodeSnapshotEvent(log.Topics, log.Data).Id)];

    /// <inheritdoc />
    public override string Name => "snapshot";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = [];

    /// <summary><c>POST /api/tokens/{token}/snapshots</c>.</summary>
    [Function("TakeSnapshot")]
    public static Task<IResult> TakeSnapshotAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/snapshots")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "snapshot", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        if (await ActionReads.CurrentSnapshotIdAsync(Chain.Rpc, token, default, cancellationToken).ConfigureAwait(false) is null)
        {
            reader.Add("token", $"{token} has no currentSnapshotId(): only a SecurityToken takes snapshots.");
        }
        else
        {
            Hash32 role = SecurityTokenContract.DecodeSNAPSHOT_ROLE(await TokenReads.CallAsync(Chain.Rpc, token, SecurityTokenContract.SNAPSHOT_ROLE(), cancellationToken).ConfigureAwait(false));
            bool allowed = SecurityTokenContract.DecodeHasRole(await TokenReads.CallAsync(Chain.Rpc, token, SecurityTokenContract.HasRole(role, Chain.Issuer), cancellationToken).ConfigureAwait(false));
            if (!allowed)
            {
                reader.Add("token", $"The issuer {Chain.Issuer} lacks SNAPSHOT_ROLE on {token}; the token's admin must grant it first.");
            }
        }

        return (SecurityTokenContract.Snapshot(), "take a snapshot");
    }
}
