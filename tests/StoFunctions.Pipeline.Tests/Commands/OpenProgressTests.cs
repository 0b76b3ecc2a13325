using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Tests.Lanes;

namespace StoFunctions.Pipeline.Tests.Commands;

/// <summary>
/// What a command's orchestration polls while the command runs: the counts of its status, read from its rows' states
/// alone (<see cref="CommandService.GetOpenProgressAsync"/>); once every row has ended, nothing, so the full status
/// (and its output) is read.
/// </summary>
public sealed class OpenProgressTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task While_rows_are_open_the_counts_are_the_statuses_and_once_all_have_ended_the_full_status_answers()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = ["open-0", "open-1", "open-2"];
        CommandService commands = rig.NewCommandService();
        string id = await commands.SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "open-progress"));

        CommandProgress? planned = await commands.GetOpenProgressAsync(id);
        Assert.Equal(new CommandProgress(Transactions: 3, Planned: 3, Signed: 0, Broadcast: 0, Mined: 0, Confirmed: 0, Failed: 0), planned);
        Assert.Equal((await rig.StatusAsync(id)).CustomStatus, planned);

        TransactionLane lane = rig.NewLane();
        int steps = 0;
        while (await commands.GetOpenProgressAsync(id) is { } open)
        {
            Assert.True(++steps < 100, $"still open after 100 steps: {open} ({lane.DescribeOpen()})");
            // Each step moves rows on (signed and sent, then mined and confirmed); between steps nothing moves them,
            // so the counts and the full status see the same rows.
            Assert.Equal((await rig.StatusAsync(id)).CustomStatus, open);
            await lane.StepAsync();
        }

        CommandStatus ended = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, ended.RuntimeStatus);
        Assert.Equal(new CommandProgress(3, 0, 0, 0, 0, 3, 0), ended.CustomStatus);
        Assert.Null(await commands.GetOpenProgressAsync("nosuchcommand"));
        await rig.AssertInvariantsAsync(oracle, ids);
    }
}
