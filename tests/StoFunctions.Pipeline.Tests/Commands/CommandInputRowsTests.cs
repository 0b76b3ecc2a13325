using Azure.Data.Tables;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Tests.Commands;

public sealed class CommandInputRowsTests
{
    private static readonly string s_fingerprint = new('a', 64);

    private static string Json(int chars) => "\"" + string.Concat(Enumerable.Range(0, chars - 2).Select(i => (char)('a' + (i % 26)))) + "\"";

    [Fact]
    public void An_input_that_fits_stays_on_the_command_row()
    {
        var row = new TableEntity("cmd", "command");
        string json = Json(CommandInputRows.ChunkChars * CommandInputRows.ChunksPerRow);

        List<TableEntity> rest = CommandInputRows.Split(row, json, s_fingerprint);

        Assert.Empty(rest);
        Assert.Equal(CommandInputRows.ChunksPerRow, row.GetInt32("InputChunks"));
        Assert.False(row.ContainsKey("InputRows"));
        Assert.Equal(json, string.Concat(Enumerable.Range(0, CommandInputRows.ChunksPerRow).Select(c => row.GetString("Input" + c))));
    }

    [Fact]
    public void A_larger_input_continues_on_rows_of_the_same_partition_keyed_by_its_fingerprint()
    {
        var row = new TableEntity("cmd", "command");
        int perRow = CommandInputRows.ChunkChars * CommandInputRows.ChunksPerRow;
        string json = Json((2 * perRow) + 7);

        List<TableEntity> rest = CommandInputRows.Split(row, json, s_fingerprint);

        Assert.Equal(["input-aaaaaaaaaaaaaaaa-01", "input-aaaaaaaaaaaaaaaa-02"], rest.Select(r => r.RowKey));
        Assert.All(rest, r => Assert.Equal("cmd", r.PartitionKey));
        Assert.Equal((2 * CommandInputRows.ChunksPerRow) + 1, row.GetInt32("InputChunks"));
        Assert.Equal(2, row.GetInt32("InputRows"));
        Assert.Equal("Input30", Assert.Single(rest[1].Keys, k => k.StartsWith("Input", StringComparison.Ordinal)));
        var all = new[] { row }.Concat(rest).SelectMany(e => e).Where(p => p.Key.StartsWith("Input", StringComparison.Ordinal) && p.Value is string)
            .ToDictionary(p => p.Key, p => (string)p.Value);
        Assert.Equal(json, string.Concat(Enumerable.Range(0, row.GetInt32("InputChunks")!.Value).Select(c => all["Input" + c])));
    }

    [Fact]
    public void An_input_beyond_the_last_continuation_row_is_refused_with_the_limit()
    {
        int limit = (1 + CommandInputRows.MaxContinuationRows) * CommandInputRows.ChunksPerRow * CommandInputRows.ChunkChars;
        Assert.Equal(CommandInputRows.MaxContinuationRows, CommandInputRows.Split(new TableEntity("cmd", "command"), Json(limit), s_fingerprint).Count);

        CommandValidationException refused = Assert.Throws<CommandValidationException>(() => CommandInputRows.Split(new TableEntity("cmd", "command"), Json(limit + 1), s_fingerprint));

        Assert.Equal([$"The input is {limit + 1} characters; at most {limit} are stored per command. Split the command."], refused.Errors["input"]);
    }
}
