using System.Diagnostics;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// Issue 21 item 2 on its own anvil that mines on request (the base fee it pushes would disturb other classes):
/// a base fee above the lane's fee cap must make the lane wait, not resend in a tight loop.
/// </summary>
public sealed class FeeCapTests(NoMiningFixture fixture) : IClassFixture<NoMiningFixture>
{
    private static readonly UInt256 s_cap = (UInt256)100_000_000_000UL;

    [Fact]
    public async Task BaseFeeAboveCap_LaneWaitsWithBoundedSendsAndLogLines_ThenAllRowsConfirmOnceWhenBaseFeeFalls()
    {
        AnvilProcess anvil = fixture.Anvil;
        await using PipelineRig rig = await PipelineRig.StartAsync(anvil, fixture.NextAccount(), LaneOptions.DevChain with
        {
            ResendAfter = TimeSpan.FromSeconds(2),
            FeeCapSummaryInterval = TimeSpan.FromSeconds(3),
            Fees = new FeePolicy { MaxFeePerGasCap = s_cap },
        });
        Address oracle = await rig.DeployOracleAsync();
        await using RpcFaultProxy proxy = await RpcFaultProxy.StartAsync(anvil.RpcUrl);
        using var viaProxy = new JsonRpcClient(proxy.Url);
        string[] ids = [.. Enumerable.Range(0, 20).Select(i => $"cap-{i}")];

        // The base fee of the next blocks is twice the cap, as in the issue (600 gwei against a 500-gwei cap).
        await anvil.RpcAsync("anvil_setNextBlockBaseFeePerGas", (s_cap * (UInt256)2UL).ToHexQuantity());
        await anvil.RpcAsync("evm_mine");
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "cap"));

        var logger = new CountingLogger();
        var lane = new TransactionLane(rig.Lane, rig.Ledger, viaProxy, rig.Signer, rig.Options, FaultInjector.None, logger);
        using var stop = new CancellationTokenSource();
        Task running = lane.RunAsync(stop.Token);
        try
        {
            // Every nonce meets the cap (one alert each); then a measured window of at least 10 s.
            await WaitUntilAsync(() => logger.CountOf(7) >= ids.Length, TimeSpan.FromSeconds(60), "every nonce to reach the fee cap");
            int linesBefore = logger.Count;
            int sendsBefore = proxy.Calls("eth_sendRawTransaction");
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(10));
            double seconds = window.Elapsed.TotalSeconds;
            int lines = logger.Count - linesBefore;
            int sends = proxy.Calls("eth_sendRawTransaction") - sendsBefore;

            // Under 100 lines per minute (the old lane logged ~2,400 per second). Sends: each nonce at most once per
            // second of backoff (1 s, then 2 s = ResendAfter), plus one in flight at each edge of the window.
            Assert.True(lines < 100 * seconds / 60, $"{lines} log lines in {seconds:F1} s: {string.Join(" | ", logger.Lines.Skip(linesBefore).Take(5).Select(l => l.Text))}");
            Assert.True(sends <= ids.Length * ((int)Math.Ceiling(seconds) + 2), $"{sends} eth_sendRawTransaction calls in {seconds:F1} s for {ids.Length} nonces");
            Assert.True(logger.CountOf(151) >= 1, "no fee-cap summary line was logged");
            Assert.Equal(CommandRuntimeStatus.Running, (await rig.StatusAsync(id)).RuntimeStatus);

            // The base fee falls: the same bytes (at the cap) are accepted at the next backoff and mined.
            await anvil.RpcAsync("anvil_setNextBlockBaseFeePerGas", "0x3b9aca00");
            await anvil.RpcAsync("evm_mine");
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while ((await rig.StatusAsync(id)).RuntimeStatus != CommandRuntimeStatus.Completed)
            {
                Assert.True(DateTime.UtcNow < deadline, $"command still {(await rig.StatusAsync(id)).RuntimeStatus} after the base fee fell");
                await anvil.RpcAsync("evm_mine");
                await Task.Delay(200);
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
                // Stopped in the middle of a step; keep the test's own failure, if any, visible.
            }
        }

        Assert.True(logger.CountOf(150) >= 1, "no line says sending resumed after the base fee fell");
        Assert.All((await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values, list => Assert.All(list, a => Assert.True(a.Fees.MaxFeePerGas <= s_cap)));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout} waiting for {what}");
            await Task.Delay(100);
        }
    }
}
