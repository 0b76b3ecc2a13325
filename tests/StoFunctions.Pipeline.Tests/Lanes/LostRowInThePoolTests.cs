using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// A row lost while its transaction waits in the node's pool, on an anvil that mines on request: the lane cannot read
/// the transaction back from a block yet, and a no-op for its nonce would leave its business key unrecorded once it is
/// mined (a retry would pay that key twice). The lane writes nothing for the nonce until it is mined, then rebuilds it.
/// </summary>
public sealed class LostRowInThePoolTests(NoMiningFixture fixture) : IClassFixture<NoMiningFixture>
{
    [Fact]
    public async Task ARowLostWhileItsTransactionIsInThePool_GetsNoFiller_TheStepFailsUntilItIsMined_ThenItIsRebuiltWithItsKey()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 4).Select(i => $"pooled-{i}")];
        ulong start = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "pooled"));
        TransactionLane sender = rig.NewLane();
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Pending) < start + (ulong)ids.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, $"not all sent to the pool in 60 s: {sender.DescribeOpen()}");
            await sender.StepAsync();
            await Task.Delay(50);
        }

        Assert.Equal(start, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest));
        LedgerTransaction lost = (await rig.Ledger.GetTransactionsAsync(rig.Lane, start + 1, start + 1)).Single();
        await rig.LoseRowsAsync([lost]);
        TransactionLane reloaded = rig.NewLane();
        LedgerBehindChainException refused = await Assert.ThrowsAsync<LedgerBehindChainException>(() => reloaded.StepAsync());
        Assert.Equal(lost.Nonce, refused.LedgerNext);
        Assert.Empty(await rig.Ledger.GetTransactionsAsync(rig.Lane, lost.Nonce, lost.Nonce));

        await fixture.Anvil.RpcAsync("evm_mine");
        await PipelineRig.RunUntilQuiescentAsync(reloaded, TimeSpan.FromSeconds(60), betweenSteps: async () => await fixture.Anvil.RpcAsync("evm_mine"));

        LedgerTransaction rebuilt = (await rig.Ledger.GetTransactionsAsync(rig.Lane, lost.Nonce, lost.Nonce)).Single();
        Assert.Equal((false, true, TransactionState.Confirmed, lost.LatestHash), (rebuilt.IsFiller, rebuilt.RecoveredFromChain, rebuilt.State, rebuilt.MinedHash));
        Assert.Equal((long)lost.Nonce, (await rig.Ledger.TryGetBusinessKeyAsync(rig.Lane, lost.BusinessKey))?.GetInt64("Nonce"));
        await rig.AssertInvariantsAsync(oracle, ids);
    }
}
