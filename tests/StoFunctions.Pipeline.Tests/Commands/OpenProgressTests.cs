using Azure;
using Azure.Data.Tables;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
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

        OpenProgress? planned = await commands.GetOpenProgressAsync(id);
        Assert.Equal(new OpenProgress(new CommandProgress(Transactions: 3, Planned: 3, Signed: 0, Broadcast: 0, Mined: 0, Confirmed: 0, Failed: 0), Ended: null), planned);
        Assert.Equal((await rig.StatusAsync(id)).CustomStatus, planned!.Progress);

        TransactionLane lane = rig.NewLane();
        int steps = 0;
        EndedPrefix? ended = null;
        while (await commands.GetOpenProgressAsync(id, ended) is { } open)
        {
            Assert.True(++steps < 100, $"still open after 100 steps: {open} ({lane.DescribeOpen()})");
            // Each step moves rows on (signed and sent, then mined and confirmed); between steps nothing moves them,
            // so the counts (with those of the rows an earlier read found ended) and the full status see the same rows.
            Assert.Equal((await rig.StatusAsync(id)).CustomStatus, open.Progress);
            ended = open.Ended;
            await lane.StepAsync();
        }

        CommandStatus done = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new CommandProgress(3, 0, 0, 0, 0, 3, 0), done.CustomStatus);
        Assert.Null(await commands.GetOpenProgressAsync("nosuchcommand"));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task A_read_after_rows_ended_skips_them_and_adds_their_counts_unless_the_command_lists_other_nonces()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        CommandService commands = rig.NewCommandService();
        string id = await commands.SubmitAsync(PipelineRig.ExecCommand(oracle, [.. Enumerable.Range(0, 5).Select(i => $"prefix-{i}")], "ended-prefix"));
        ulong[] n = [.. (await rig.Ledger.GetTransactionsAsync(rig.Lane, 0)).Where(r => r.CommandId == id).Select(r => r.Nonce)];
        Assert.Equal(5, n.Length);

        // Confirmed, rejected (failed), open, confirmed, open: the first two have ended.
        await SetAsync(rig, n[0], ("State", "Confirmed"));
        await SetAsync(rig, n[1], ("RejectedError", "execution reverted"));
        await SetAsync(rig, n[3], ("State", "Confirmed"));
        OpenProgress? first = await commands.GetOpenProgressAsync(id);
        var counts = new CommandProgress(Transactions: 5, Planned: 2, Signed: 0, Broadcast: 0, Mined: 0, Confirmed: 2, Failed: 1);
        Assert.Equal(new OpenProgress(counts, new EndedPrefix(Rows: 2, Through: n[1], Confirmed: 1, Failed: 1)), first);

        // With the prefix, its rows are not read again: one lost is not noticed (its counts come from the prefix),
        // where a read from the first row finds a row missing and leaves the answer to the full status.
        await rig.Ledger.Table.DeleteEntityAsync(rig.Lane.PartitionKey, LedgerRows.TransactionRow(n[0]), ETag.All);
        Assert.Equal(first, await commands.GetOpenProgressAsync(id, first!.Ended));
        Assert.Null(await commands.GetOpenProgressAsync(id));
        // A prefix that ends at another nonce was read for other rows (the command planned again): it is not used.
        Assert.Null(await commands.GetOpenProgressAsync(id, first.Ended! with { Through = n[1] + 1 }));

        // The prefix grows over rows that ended since; once every row after it has ended, the full status answers.
        await SetAsync(rig, n[2], ("State", "Failed"));
        Assert.Equal(
            new OpenProgress(counts with { Planned = 1, Failed = 2 }, new EndedPrefix(Rows: 4, Through: n[3], Confirmed: 2, Failed: 2)),
            await commands.GetOpenProgressAsync(id, first.Ended));
        await SetAsync(rig, n[4], ("State", "Confirmed"));
        Assert.Null(await commands.GetOpenProgressAsync(id, first.Ended));
    }

    private static Task SetAsync(PipelineRig rig, ulong nonce, (string Name, string Value) column) =>
        rig.Ledger.Table.UpdateEntityAsync(new TableEntity(rig.Lane.PartitionKey, LedgerRows.TransactionRow(nonce)) { [column.Name] = column.Value }, ETag.All, TableUpdateMode.Merge);
}
