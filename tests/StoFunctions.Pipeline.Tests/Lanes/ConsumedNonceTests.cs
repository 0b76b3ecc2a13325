using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// A node whose nonce passed rows of ours without any transaction at those nonces (anvil restored from a dump taken
/// while it sealed a block; here <c>anvil_setNonce</c>): the lane cannot say what happened, so it says so once per
/// row, sends nothing for those nonces and keeps the rows open, while later nonces go on.
/// </summary>
public sealed class ConsumedNonceTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task NoncesTakenWithoutATransaction_OneAlertPerRow_NothingSentForThem_TheyStayOpen_LaterRowsConfirm()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 5).Select(i => $"taken-{i}")];
        ulong first = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "taken"));
        await fixture.Anvil.RpcAsync("anvil_setNonce", rig.Lane.Sender.ToString(), ((UInt256)(first + 3)).ToHexQuantity());

        var logger = new CountingLogger();
        var lane = new TransactionLane(rig.Lane, rig.Ledger, rig.Rpc, rig.Signer, rig.Options, FaultInjector.None, logger);
        DateTime deadline = DateTime.UtcNow.AddSeconds(120);
        while (!(lane.OpenCount == 3 && logger.CountOf(156) == 3))
        {
            Assert.True(DateTime.UtcNow < deadline, $"after 120 s: {lane.DescribeOpen()}; alerts {logger.CountOf(156)}");
            await lane.StepAsync();
            await Task.Delay(50);
        }

        // Many more steps: no second alert, nothing sent for the taken nonces.
        for (int i = 0; i < 40; i++)
        {
            await lane.StepAsync();
            await Task.Delay(25);
        }

        Assert.Equal(3, logger.CountOf(156));
        Assert.Equal(3, lane.OpenCount);
        Assert.Equal(first + 5, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest));
        List<LedgerTransaction> rows = await rig.Ledger.GetTransactionsAsync(rig.Lane, first);
        Assert.Equal([false, false, false, true, true], rows.Select(r => r.State == TransactionState.Confirmed));
        Assert.All(rows.Take(3), r => Assert.False(TransactionStates.IsTerminal(r.State)));
        await LaneAudit.AssertExecutedOnceAsync(rig.Rpc, oracle, ids[3..].Select(id => Hash32.FromBytes(PipelineRig.IdBytes(id))));
    }
}
