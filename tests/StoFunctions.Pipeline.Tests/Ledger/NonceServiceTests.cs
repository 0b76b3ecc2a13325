using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Tests.Lanes;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Ledger;

public sealed class NonceServiceTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task Restart_AfterForeignUseOfTheKey_JumpsToChainNonce_SkippedNoncesRecordedAsExternal()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["r-1"], "r-1"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(30));
        for (int i = 0; i < 2; i++)
        {
            await fixture.Anvil.SendTransactionAndWaitAsync(new { from = rig.Lane.Sender.ToString(), to = AnvilAccounts.Addresses[0], value = "0x1" });
        }

        var nonces = new NonceService(rig.Ledger, rig.Rpc);
        NonceReport before = await nonces.GetAsync(rig.Lane);
        NonceReport after = await nonces.RestartAsync(rig.Lane);
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["r-2"], "r-2"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(30));

        Assert.Equal(before.NextLedgerNonce + 2, before.ChainLatest);
        Assert.Equal(after.ChainPending, after.NextLedgerNonce);
        Assert.Equal(1, after.Restarts);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        IReadOnlyList<LedgerTransaction> latest = await new TransactionQuery(rig.Ledger).LatestAsync(rig.Lane, 3);
        Assert.Equal([TransactionState.Confirmed, TransactionState.NonceConsumedExternally, TransactionState.NonceConsumedExternally], latest.Select(t => t.State));
        Assert.Equal([before.NextLedgerNonce!.Value + 2, before.NextLedgerNonce.Value + 1, before.NextLedgerNonce.Value], latest.Select(t => t.Nonce));
        await rig.AssertInvariantsAsync(oracle, ["r-1", "r-2"]);
    }
}
