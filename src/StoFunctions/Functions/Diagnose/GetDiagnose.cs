using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.Diagnose;

/// <summary>
/// <c>GET /api/diagnose</c> [diagnose]: node reachable, chain id (and whether it matches the configured one),
/// head block and its age, the signer's address, ETH balance and the nonce drift between the ledger and the chain.
/// </summary>
public static class GetDiagnose
{
    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("diagnose", HandleAsync).WithName("GetDiagnose");

    private static async Task<IResult> HandleAsync(Platform platform, CancellationToken cancellationToken)
    {
        try
        {
            ulong chainId = await platform.Rpc.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
            BlockHeader? head = await platform.Rpc.GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
            UInt256 balance = await platform.Rpc.GetBalanceAsync(platform.Issuer, BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
            ulong pending = await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
            LedgerAccount? account = await platform.Ledger.GetAccountAsync(platform.Lane, cancellationToken).ConfigureAwait(false);
            long? drift = account is null ? null : (long)account.NextNonce - (long)pending;
            double? age = head is null ? null : (DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds((long)head.Timestamp)).TotalSeconds;
            return Results.Json(new
            {
                nodeReachable = true,
                chainId,
                chainIdMatches = (long)chainId == platform.Lane.ChainId,
                headBlock = head?.Number,
                headAgeSeconds = age,
                signer = platform.Issuer.ToString(),
                ethBalance = AmountText.Format(balance, 18),
                ethBalanceRaw = balance.ToString(),
                ledgerNextNonce = account?.NextNonce,
                chainPendingNonce = pending,
                nonceDrift = drift,
            }, GetCommand.Json);
        }
        catch (Exception e) when (e is JsonRpcException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Results.Json(new { nodeReachable = false, error = e.Message, signer = platform.Issuer.ToString() }, GetCommand.Json, statusCode: 503);
        }
    }
}
