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
    /// <summary><c>GET /api/diagnose</c>.</summary>
    [Function("GetDiagnose")]
    public static Task<IResult> GetDiagnoseAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "diagnose")] HttpRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    /// <summary>How long the node may take to answer the diagnosis's reads (one JSON-RPC batch) before it counts as not answering.</summary>
    internal static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(5);

    private static async Task<IResult> HandleAsync(Platform platform, CancellationToken cancellationToken)
    {
        // One batch under one deadline: a frozen node (which the client would wait for up to its 30 s timeout per
        // attempt, retried) makes the diagnosis answer "not answering" after NodeTimeout instead of hanging.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(NodeTimeout);
        try
        {
            JsonRpcBatch batch = platform.Rpc.CreateBatch();
            Task<ulong> chainIdRead = batch.Add<ulong>("eth_chainId");
            Task<BlockHeader?> headRead = batch.Add<BlockHeader>("eth_getBlockByNumber", BlockParameter.Latest, false);
            Task<UInt256> balanceRead = batch.Add<UInt256>("eth_getBalance", platform.Issuer, BlockParameter.Latest);
            Task<ulong> pendingRead = batch.Add<ulong>("eth_getTransactionCount", platform.Issuer, BlockParameter.Pending);
            await batch.SendAsync(deadline.Token).ConfigureAwait(false);
            ulong chainId = await chainIdRead.ConfigureAwait(false);
            BlockHeader? head = await headRead.ConfigureAwait(false);
            UInt256 balance = await balanceRead.ConfigureAwait(false);
            ulong pending = await pendingRead.ConfigureAwait(false);
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
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotAnswering(platform, $"the node at {platform.Rpc.Endpoint.GetLeftPart(UriPartial.Path)} did not answer within {NodeTimeout.TotalSeconds:F0} s (node not answering)");
        }
        catch (Exception e) when (e is JsonRpcException or HttpRequestException)
        {
            return NotAnswering(platform, e.Message);
        }
    }

    private static IResult NotAnswering(Platform platform, string error) =>
        Results.Json(new { nodeReachable = false, error, signer = platform.Issuer.ToString() }, GetCommand.Json, statusCode: 503);
}
