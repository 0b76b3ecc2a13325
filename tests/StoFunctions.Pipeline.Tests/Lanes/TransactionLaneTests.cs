using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>Scenarios of research/txpipeline.md §8.2 on an automining anvil; each ends with the invariant checker.</summary>
public sealed class TransactionLaneTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task S1_HappyPath_FiftyIntents_AllConfirmedOnceEach()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 50).Select(i => $"s1-{i}")];
        CommandService commands = rig.NewCommandService();
        string id = await commands.SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s1"));

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        CommandStatus status = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(new CommandProgress(50, 0, 0, 0, 0, 50, 0), status.CustomStatus);
        Assert.All(status.Output!.Transactions, t => Assert.Equal("Confirmed", t.Status));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task Submit_SameKeySameBody_ReturnsSameCommand_DifferentBody_Conflicts()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        CommandService commands = rig.NewCommandService();
        string first = await commands.SubmitAsync(PipelineRig.ExecCommand(oracle, ["k-1", "k-2"], "same-key"));
        string again = await commands.SubmitAsync(PipelineRig.ExecCommand(oracle, ["k-1", "k-2"], "same-key"));
        CommandConflictException conflict = await Assert.ThrowsAsync<CommandConflictException>(() => commands.SubmitAsync(PipelineRig.ExecCommand(oracle, ["k-3"], "same-key")));

        Assert.Equal(first, again);
        Assert.Equal(first, conflict.CommandId);
        Assert.Equal(2UL, (await rig.Ledger.GetAccountAsync(rig.Lane))!.NextNonce - (await rig.Ledger.GetAccountAsync(rig.Lane))!.FirstNonce);
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        await rig.AssertInvariantsAsync(oracle, ["k-1", "k-2"]);
    }

    [Fact]
    public async Task S23_OnChainRevert_IsFailedWithDecodedReason_AndNeverResent()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        CommandService commands = rig.NewCommandService();
        await commands.SubmitAsync(PipelineRig.ExecCommand(oracle, ["dup"], "s23-a"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        // A different business key for the same oracle id: the second exec reverts on chain.
        var again = PipelineRig.ExecCommand(oracle, ["dup"], "s23-b");
        string json = again.Input.GetRawText().Replace("oracle/dup", "oracle/dup-second", StringComparison.Ordinal);
        string id = await commands.SubmitAsync(again with { Input = System.Text.Json.JsonDocument.Parse(json).RootElement });
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        CommandStatus status = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Failed, status.RuntimeStatus);
        CommandTransaction tx = Assert.Single(status.Output!.Transactions);
        Assert.Equal("Failed", tx.Status);
        Assert.Equal("reverted: Error(\"already executed\")", tx.Error);
        Assert.Single((await rig.Ledger.GetAttemptsAsync(rig.Lane, tx.Nonce, tx.Nonce))[tx.Nonce]);
        await rig.AssertInvariantsAsync(oracle, ["dup"]);
    }
}
