using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;
using Microsoft.DurableTask.Client;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.Accounts;

/// <summary>
/// <c>GET /api/accounts/{address}/nonce</c> [tx-next-nonce]: the ledger's next nonce and the chain's latest and
/// pending counts; <c>POST …/nonce/restart</c> (admin) [tx-restart-nonce] re-syncs the issuer's lane with the chain
/// without touching the ledger's history: the next nonce moves up to the chain's pending count (never down),
/// nonces another wallet consumed get filler rows the lane records as NonceConsumedExternally, and the lane wakes and
/// re-checks the chain (rows recorded as final that a deep reorg removed go back to Broadcast and are rebroadcast).
/// </summary>
public static class GetAccountNonce
{
    /// <summary><c>GET /api/accounts/{address}/nonce</c>.</summary>
    [Function("GetAccountNonce")]
    public static Task<IResult> GetAccountNonceAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "accounts/{address}/nonce")] HttpRequest request, string address, CancellationToken cancellationToken) =>
        ViewAsync(address, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    /// <summary><c>POST /api/accounts/{address}/nonce/restart</c>.</summary>
    [Function("RestartAccountNonce")]
    public static Task<IResult> RestartAccountNonceAsync([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "accounts/{address}/nonce/restart")] HttpRequest request, string address, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RestartAsync(address, request.HttpContext.RequestServices.GetRequiredService<Platform>(), durable, request.HttpContext.RequestServices.GetRequiredService<LaneWaker>(), cancellationToken);

    // Re-syncs the ledger's account row with the chain (NonceService.RestartAsync: never below a nonce the ledger
    // used, skipped nonces recorded as fillers, no row deleted), then wakes the lane so it reconciles now.
    private static async Task<IResult> RestartAsync(string address, Platform platform, DurableTaskClient durable, LaneWaker lanes, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(address, out Address account))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(address)}' is not a valid address (mixed case must pass EIP-55).", CommandEndpoint.Errors("address", "Not a valid address."));
        }

        if (account != platform.Issuer)
        {
            return Problems.Result(404, $"No lane of this app sends from {account}; only the issuer {platform.Issuer} has a ledger nonce to restart.", CommandEndpoint.Errors("address", "Not the issuer."));
        }

        await new NonceService(platform.Ledger, platform.Rpc).RestartAsync(platform.Lane, cancellationToken).ConfigureAwait(false);

        // When the chain is behind the ledger (a reorg deeper than K removed confirmed rows) the account row has
        // nothing to change; the lane re-checks those rows' receipts and rebroadcasts the vanished ones.
        await lanes.WakeAsync(durable, cancellationToken, LaneOrchestrator.ChainCheck).ConfigureAwait(false);
        return await ViewAsync(address, platform, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> ViewAsync(string address, Platform platform, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(address, out Address account))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(address)}' is not a valid address (mixed case must pass EIP-55).", CommandEndpoint.Errors("address", "Not a valid address."));
        }

        ulong latest = await platform.Rpc.GetTransactionCountAsync(account, BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        ulong pending = await platform.Rpc.GetTransactionCountAsync(account, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
        LedgerAccount? ledger = account == platform.Issuer ? await platform.Ledger.GetAccountAsync(platform.Lane, cancellationToken).ConfigureAwait(false) : null;
        return Results.Json(new
        {
            address = account.ToString(),
            managed = account == platform.Issuer,
            nextNonce = ledger?.NextNonce ?? pending,
            chainLatest = latest,
            chainPending = pending,
            restarts = ledger?.Restarts ?? 0,
        }, GetCommand.Json);
    }
}
