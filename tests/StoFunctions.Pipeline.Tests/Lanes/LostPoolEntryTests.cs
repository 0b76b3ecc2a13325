using System.Text;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// anvil decides what an incoming transaction waits for from the sender's nonce it read before the transaction enters
/// its pool; when the previous nonce is mined in between, the transaction waits in the pool's queue for a predecessor
/// the chain already has: "already known" to every resend, never in a block, not even one asked for with
/// <c>evm_mine</c>. Seen under load (a whole distribution stuck at its first nonce). Here the stale read is made
/// certain: the node's nonce for the sender is one lower while the lane's broadcast arrives.
/// </summary>
public sealed class LostPoolEntryTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task TransactionsQueuedBehindANonceTheChainHas_TheLaneReplacesTheSendersPoolEntries_EveryRowConfirmsOnce()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount(), LaneOptions.DevChain with { MineWhenStalledAfter = TimeSpan.FromSeconds(1) });
        Address oracle = await rig.DeployOracleAsync();
        var logger = new CountingLogger();
        var handler = new StaleNonceWhileBroadcasting(fixture.Anvil, rig.Lane.Sender) { InnerHandler = new HttpClientHandler() };
        using var rpc = new JsonRpcClient(new HttpClient(handler), fixture.Anvil.RpcUrl);
        var lane = new TransactionLane(rig.Lane, rig.Ledger, rpc, rig.Signer, rig.Options, FaultInjector.None, logger);

        // A first row takes nonce 0, so the broadcast below can arrive while the node's nonce is one lower.
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["lost-first"], "lost-first"));
        await PipelineRig.RunUntilQuiescentAsync(lane, TimeSpan.FromSeconds(120));
        Assert.Equal(0, logger.CountOf(159));

        string[] ids = [.. Enumerable.Range(0, 5).Select(i => $"lost-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "lost"));
        handler.Armed = true;
        await PipelineRig.RunUntilQuiescentAsync(lane, TimeSpan.FromSeconds(120));

        Assert.False(handler.Armed, "the lane never broadcast the second command");
        Assert.True(logger.CountOf(157) >= 1, "the lane never asked for a block");
        Assert.Equal(1, logger.CountOf(159));
        Assert.Contains("holds it queued", Assert.Single(logger.Lines, l => l.EventId == 159).Text, StringComparison.Ordinal);
        await rig.AssertInvariantsAsync(oracle, ["lost-first", .. ids]);
    }

    /// <summary>While armed, the next request that broadcasts reaches the node while its nonce for the sender is one lower.</summary>
    private sealed class StaleNonceWhileBroadcasting(AnvilProcess anvil, Address sender) : DelegatingHandler
    {
        public bool Armed { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (!Armed || !body.Contains("eth_sendRawTransaction", StringComparison.Ordinal))
            {
                return await base.SendAsync(request, cancellationToken);
            }

            Armed = false;
            string nonce = (await anvil.RpcAsync("eth_getTransactionCount", sender.ToString(), "latest")).GetString()!;
            ulong n = Convert.ToUInt64(nonce, 16);
            await anvil.RpcAsync("anvil_setNonce", sender.ToString(), "0x" + (n - 1).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                await anvil.RpcAsync("anvil_setNonce", sender.ToString(), nonce);
            }
        }
    }
}
