using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.Accounts;

/// <summary>
/// <c>GET /api/accounts/{address}/nonce</c> [tx-next-nonce]: the ledger's next nonce and the chain's latest and
/// pending counts; <c>POST …/nonce/restart</c> (admin) [tx-restart-nonce] wakes the lane so it reconciles with
/// the chain now (gaps are filled, externally used nonces recorded) without touching the ledger's history.
/// </summary>
public static class GetAccountNonce
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("accounts/{address}/nonce", (string address, Platform platform, CancellationToken cancellationToken) => ViewAsync(address, platform, cancellationToken)).WithName("GetAccountNonce");
        api.MapPost("accounts/{address}/nonce/restart", async (string address, Platform platform, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (Address.TryParse(address, out Address account) && account == platform.Issuer)
            {
                services.GetRequiredService<StoFunctions.Pipeline.Lanes.LaneHost>().Wake(platform.Lane);
            }

            return await ViewAsync(address, platform, cancellationToken).ConfigureAwait(false);
        }).WithName("RestartAccountNonce").WithAuthorizationLevel(AuthorizationLevel.Admin);
    }

    private static async Task<IResult> ViewAsync(string address, Platform platform, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(address, out Address account))
        {
            return Problems.Result(400, $"'{address}' is not a valid address (mixed case must pass EIP-55).", CommandEndpoint.Errors("address", "Not a valid address."));
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
