using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// Issue 21 item 1 on its own automining anvil (its reorgs would disturb other classes): a reorg deeper than the
/// confirmation depth removes Confirmed transfers; the lane must notice, rebroadcast the same bytes and go on.
/// </summary>
public sealed class DeepReorgTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    // Generous: at load average 40 the lane resent 36 of 49 reorged-out transfers in 60 s (each gap waits ResendAfter).
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task ReorgDeeperThanK_RemovesConfirmedRows_LaneAlertsOnceRebroadcastsSameHashes_EveryIdOnceAndNextCommandCompletes()
    {
        AnvilProcess anvil = fixture.Anvil;
        await using PipelineRig rig = await PipelineRig.StartAsync(anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var logger = new CountingLogger();
        var lane = new TransactionLane(rig.Lane, rig.Ledger, rig.Rpc, rig.Signer, rig.Options, FaultInjector.None, logger);
        string[] ids = [.. Enumerable.Range(0, 50).Select(i => $"deep-{i}")];
        string first = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "deep"));
        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(first)).RuntimeStatus);
        Dictionary<ulong, Hash32> sent = (await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).ToDictionary(p => p.Key, p => Assert.Single(p.Value).Hash);

        await anvil.RpcAsync("evm_mine");
        await anvil.RpcAsync("evm_mine");

        // Deep enough to remove at least the last 20 transfers whatever anvil's packing: under load automine put
        // several transactions in one block, and a fixed depth of 3 then removed no transfer at all.
        ulong firstRemoved = sent.Keys.Max() - 19;
        ulong firstRemovedBlock = (await rig.Rpc.GetTransactionReceiptAsync(sent[firstRemoved]))!.BlockNumber;
        ulong depth = await rig.Rpc.GetBlockNumberAsync() - firstRemovedBlock + 1;
        await anvil.RpcAsync("anvil_reorg", depth, Array.Empty<object>());
        List<ulong> vanished = [];
        foreach ((ulong nonce, Hash32 hash) in sent)
        {
            if (await rig.Rpc.GetTransactionReceiptAsync(hash) is null)
            {
                vanished.Add(nonce);
            }
        }

        Assert.True(vanished.Count >= 20, $"the reorg of depth {depth} removed {vanished.Count} transfers");
        Assert.All(await rig.Ledger.GetTransactionsAsync(rig.Lane, 0), r => Assert.Equal(TransactionState.Confirmed, r.State));

        // The lane, idle since the command completed, notices at its next chain check and resends the stored bytes.
        ulong expectedNonce = (await rig.Ledger.GetAccountAsync(rig.Lane))!.NextNonce;
        DateTime deadline = DateTime.UtcNow + s_timeout;
        while (await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest) < expectedNonce || lane.OpenCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the chain's nonce is still {await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest)} (ledger {expectedNonce}) {s_timeout} after the reorg; vanished nonces {string.Join(",", vanished)}");
            await lane.StepAsync();
            await Task.Delay(100);
        }

        Assert.Equal(1, logger.CountOf(152));
        CommandStatus again = await rig.StatusAsync(first);
        Assert.Equal(CommandRuntimeStatus.Completed, again.RuntimeStatus);
        Assert.All(again.Output!.Transactions, t => Assert.Equal(sent[t.Nonce].ToString(), t.Hash));
        Assert.All((await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values, list => Assert.Single(list));

        string[] next = [.. Enumerable.Range(0, 5).Select(i => $"deep-next-{i}")];
        string second = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, next, "deep-next"));
        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(second)).RuntimeStatus);
        Assert.Equal(1, logger.CountOf(152));
        await rig.AssertInvariantsAsync(oracle, [.. ids, .. next]);
    }

    [Fact]
    public async Task ReorgDeeperThanK_IdleLaneBetweenChecks_RequestChainCheckReopensAtOnce()
    {
        AnvilProcess anvil = fixture.Anvil;
        await using PipelineRig rig = await PipelineRig.StartAsync(anvil, fixture.NextAccount(), LaneOptions.DevChain with { ChainCheckInterval = TimeSpan.FromHours(1) });
        Address oracle = await rig.DeployOracleAsync();
        TransactionLane lane = rig.NewLane();
        string[] ids = [.. Enumerable.Range(0, 10).Select(i => $"restart-{i}")];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "restart"));
        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout);
        await lane.StepAsync(); // the idle check of this hour

        // Every block from the first transfer's on, never the oracle's: under load automine packed all ten transfers
        // into the block after the deployment, and a fixed depth of 2 then removed the oracle too (no events at all).
        Hash32 firstSent = Assert.Single((await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).MinBy(p => p.Key).Value).Hash;
        ulong depth = await rig.Rpc.GetBlockNumberAsync() - (await rig.Rpc.GetTransactionReceiptAsync(firstSent))!.BlockNumber + 1;
        await anvil.RpcAsync("anvil_reorg", depth, Array.Empty<object>());
        Assert.NotEmpty(await rig.Rpc.GetCodeAsync(oracle));
        ulong next = (await rig.Ledger.GetAccountAsync(rig.Lane))!.NextNonce;
        Assert.True(await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest) < next);
        await lane.StepAsync();
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);

        // What POST /api/accounts/{address}/nonce/restart does to the running lane.
        lane.RequestChainCheck();
        DateTime deadline = DateTime.UtcNow + s_timeout;
        while (await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest) < next || lane.OpenCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the chain's nonce is still below {next} {s_timeout} after the chain check was requested");
            await lane.StepAsync();
            await Task.Delay(100);
        }

        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        await rig.AssertInvariantsAsync(oracle, ids);
    }
}
