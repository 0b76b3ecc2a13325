using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Snapshots;

/// <summary>
/// <c>GET /api/tokens/{token}/snapshots</c>: the current snapshot id and every snapshot from the token's
/// <c>Snapshot</c> events with its block, transaction and total supply at that snapshot.
/// </summary>
public static class ListSnapshots
{
    /// <summary><c>GET /api/tokens/{token}/snapshots</c>.</summary>
    [Function("ListSnapshots")]
    public static Task<IResult> ListSnapshotsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/snapshots")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string token, Platform platform, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(token, out Address address))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(token)}' is not a valid token address (0x + 40 hex digits; mixed case must pass EIP-55).", CommandEndpoint.Errors("token", "Not a valid address."));
        }

        int? decimals = await TokenReads.DecimalsAsync(platform.Rpc, address, cancellationToken).ConfigureAwait(false);
        ulong? current = decimals is null ? null : await ActionReads.CurrentSnapshotIdAsync(platform.Rpc, address, default, cancellationToken).ConfigureAwait(false);
        if (current is not ulong id)
        {
            return Problems.Result(404, $"No SecurityToken answers currentSnapshotId() at {address}.");
        }

        IReadOnlyList<LogEntry> logs = await ActionReads.LogsAsync(platform.Rpc, address, SecurityTokenContract.SnapshotTopic, cancellationToken).ConfigureAwait(false);
        var snapshots = new List<Snapshot>();
        foreach (LogEntry log in logs.Where(l => !l.Removed))
        {
            UInt256 snapshotId = SecurityTokenContract.DecodeSnapshotEvent(log.Topics, log.Data).Id;
            UInt256 supply = SecurityTokenContract.DecodeTotalSupplyAt(await TokenReads.CallAsync(platform.Rpc, address, SecurityTokenContract.TotalSupplyAt(snapshotId), cancellationToken).ConfigureAwait(false));
            snapshots.Add(new Snapshot((ulong)snapshotId, log.BlockNumber ?? 0, log.TransactionHash?.ToString(), AmountText.Format(supply, decimals!.Value), supply.ToString()));
        }

        return Results.Json(new SnapshotList(address.ToString(), id, snapshots), GetCommand.Json);
    }

    /// <summary>The response body.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="CurrentSnapshotId">The newest snapshot id (0 before the first).</param>
    /// <param name="Snapshots">Every snapshot, oldest first.</param>
    public sealed record SnapshotList(string Token, ulong CurrentSnapshotId, IReadOnlyList<Snapshot> Snapshots);

    /// <summary>One snapshot.</summary>
    /// <param name="Id">The snapshot id.</param>
    /// <param name="BlockNumber">The block that took it.</param>
    /// <param name="TransactionHash">The transaction that took it (the snapshot command's hash).</param>
    /// <param name="TotalSupply">Total supply at the snapshot, in token units.</param>
    /// <param name="TotalSupplyRaw">The same, raw.</param>
    public sealed record Snapshot(ulong Id, ulong BlockNumber, string? TransactionHash, string TotalSupply, string TotalSupplyRaw);
}
