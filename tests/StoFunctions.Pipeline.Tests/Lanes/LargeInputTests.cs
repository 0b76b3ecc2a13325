using Azure.Data.Tables;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// A command whose input is larger than one table entity holds (a distribution of some 4,000 rows and up): it is kept
/// on continuation rows (<see cref="CommandInputRows"/>), read back whole by status reads and the pending sweep, and
/// removed with its command row when refused.
/// </summary>
public sealed class LargeInputTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    // Two continuation rows' worth beyond the command row.
    private static readonly string s_padding = new('p', (2 * CommandInputRows.ChunksPerRow * CommandInputRows.ChunkChars) + 1234);

    [Fact]
    public async Task A_command_kept_on_continuation_rows_is_planned_and_sent_and_reports_its_whole_input()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        CommandRequest request = Padded(PipelineRig.ExecCommand(oracle, ["big-1", "big-2"], "big"));
        CommandService service = rig.NewCommandService();

        string id = await service.SubmitAsync(request);

        Assert.Equal(3, await CountRowsAsync(rig.Commands, id));
        AcceptedCommand accepted = (await service.GetAcceptedAsync(id))!;
        Assert.Equal(request.Input.GetRawText(), accepted.Input.GetRawText());
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        CommandStatus status = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(s_padding, status.Input.GetProperty("padding").GetString());
        await rig.AssertInvariantsAsync(oracle, ["big-1", "big-2"]);
    }

    [Fact]
    public async Task The_pending_sweep_plans_an_interrupted_command_from_its_whole_input()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var failing = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new IntentListPlanner()], admissions: [new FailingAdmission()]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.SubmitAsync(Padded(PipelineRig.ExecCommand(oracle, ["resumed-1"], "resumed"))));

        Assert.Equal(1, await rig.NewCommandService().ResumePendingAsync());

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(CommandKeys.IdFor("resumed"))).RuntimeStatus);
        await rig.AssertInvariantsAsync(oracle, ["resumed-1"]);
    }

    [Fact]
    public async Task A_refused_command_leaves_neither_its_row_nor_its_continuation_rows()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var service = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new IntentListPlanner()], admissions: [new RejectingAdmission()]);

        await Assert.ThrowsAsync<CommandValidationException>(() => service.SubmitAsync(Padded(PipelineRig.ExecCommand(oracle, ["refused-1"], "refused"))));

        Assert.Equal(0, await CountRowsAsync(rig.Commands, CommandKeys.IdFor("refused")));
    }

    private static CommandRequest Padded(CommandRequest request) => PipelineRig.WithInputMember(request, "padding", s_padding);

    private static async Task<int> CountRowsAsync(TableClient commands, string id)
    {
        int count = 0;
        await foreach (TableEntity _ in commands.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
