using Azure;
using Azure.Data.Tables;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Tests.Lanes;

namespace StoFunctions.Pipeline.Tests.Commands;

/// <summary>
/// A finished orchestration instance answers a command's status only once its row says it is planned. After lost
/// tables the instance survives (Durable keeps its own), and a retry with the same idempotency key writes the command row
/// again: until that retry is planned, GET answered Completed from the old instance (LostStorageTests).
/// </summary>
public sealed class FinishedInstanceAnswerTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task A_command_row_not_yet_planned_is_answered_from_its_rows_and_a_planned_one_from_the_instance()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        CommandService commands = rig.NewCommandService();
        string id = await commands.SubmitAsync(PipelineRig.ExecCommand(oracle, ["answer-0", "answer-1"], "instance-answer"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(90));
        CommandStatus fromRows = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, fromRows.RuntimeStatus);
        int asked = 0;
        CommandStatus fromInstance = fromRows with { Output = null };
        Task<CommandStatus?> Instance(AcceptedCommand accepted)
        {
            Assert.Equal(id, accepted.Id);
            asked++;
            return Task.FromResult<CommandStatus?>(fromInstance);
        }

        Assert.Same(fromInstance, await commands.GetStatusAsync(id, Instance));
        Assert.Equal(1, asked);

        // The row as a retry writes it before its planning ends.
        await rig.Commands.UpdateEntityAsync(new TableEntity(id, "command") { ["Planned"] = false }, ETag.All, TableUpdateMode.Merge);
        CommandStatus planning = (await commands.GetStatusAsync(id, Instance))!;

        Assert.Equal(1, asked);
        Assert.Equal(CommandRuntimeStatus.Pending, planning.RuntimeStatus);
        Assert.Null(planning.Output);
    }
}
