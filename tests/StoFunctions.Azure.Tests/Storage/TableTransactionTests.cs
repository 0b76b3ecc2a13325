using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>
/// The Table behaviours the ledger, the command service and the scanner build on, pinned against Azurite with the
/// SDK client as <see cref="StorageAccount"/> opens it: ETag-guarded entity-group transactions that fail as a whole
/// and name the failing action, and continuation paging.
/// </summary>
public sealed class TableTransactionTests
{
    private static async Task<TableClient> NewTableAsync()
    {
        TableClient table = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync()).Tables.GetTableClient(StorageNames.Table());
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static async Task<List<TableEntity>> AllAsync(TableClient table)
    {
        var all = new List<TableEntity>();
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>())
        {
            all.Add(entity);
        }

        return all;
    }

    [Fact]
    public async Task Transaction_with_a_stale_etag_fails_412_at_that_index_and_writes_nothing()
    {
        TableClient table = await NewTableAsync();
        ETag old = (await table.AddEntityAsync(new TableEntity("p", "a") { ["N"] = 1 })).Headers.ETag!.Value;
        await table.UpdateEntityAsync(new TableEntity("p", "a") { ["N"] = 2 }, old);

        TableTransactionFailedException e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "b")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "a") { ["N"] = 3 }, old),
        ]));

        Assert.Equal(1, e.FailedTransactionActionIndex);
        Assert.Equal(412, e.Status);
        Assert.Equal(TableErrorCode.UpdateConditionNotSatisfied.ToString(), e.ErrorCode);
        TableEntity only = Assert.Single(await AllAsync(table));
        Assert.Equal(("a", 2), (only.RowKey, only.GetInt32("N")));
    }

    [Fact]
    public async Task Transaction_adding_an_existing_entity_fails_409_at_its_index_and_writes_nothing()
    {
        TableClient table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r2") { ["V"] = "original" });

        TableTransactionFailedException e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "r0")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "r1")),
            new(TableTransactionActionType.Add, new TableEntity("p", "r2") { ["V"] = "overwritten" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "r3")),
        ]));

        Assert.Equal(2, e.FailedTransactionActionIndex);
        Assert.Equal(409, e.Status);
        Assert.Equal(TableErrorCode.EntityAlreadyExists.ToString(), e.ErrorCode);
        TableEntity only = Assert.Single(await AllAsync(table));
        Assert.Equal(("r2", "original"), (only.RowKey, only.GetString("V")));
    }

    [Fact]
    public async Task Transaction_of_the_full_100_actions_returns_the_new_etag_of_each_in_order()
    {
        TableClient table = await NewTableAsync();

        Response<IReadOnlyList<Response>> result = await table.SubmitTransactionAsync(Enumerable.Range(0, StorageLimits.MaxTransactionActions)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)) { ["I"] = i })));

        Assert.Equal(StorageLimits.MaxTransactionActions, result.Value.Count);
        TableEntity last = (await table.GetEntityAsync<TableEntity>("p", "099")).Value;
        Assert.Equal(last.ETag, result.Value[99].Headers.ETag);
        Assert.Equal(99, last.GetInt32("I"));
    }

    [Fact]
    public async Task Update_with_a_stale_etag_fails_412_and_keeps_the_newer_write()
    {
        TableClient table = await NewTableAsync();
        ETag old = (await table.AddEntityAsync(new TableEntity("p", "a") { ["N"] = 1 })).Headers.ETag!.Value;
        await table.UpdateEntityAsync(new TableEntity("p", "a") { ["N"] = 2 }, old, TableUpdateMode.Replace);

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "a") { ["N"] = 3 }, old, TableUpdateMode.Replace));

        Assert.Equal((412, TableErrorCode.UpdateConditionNotSatisfied.ToString()), (e.Status, e.ErrorCode));
        Assert.Equal(2, (await table.GetEntityAsync<TableEntity>("p", "a")).Value.GetInt32("N"));
    }

    [Fact]
    public async Task Query_pages_follow_the_continuation_until_every_entity_is_read_once()
    {
        TableClient table = await NewTableAsync();
        await table.SubmitTransactionAsync(Enumerable.Range(0, 7).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "r" + i))));
        await table.AddEntityAsync(new TableEntity("other", "x"));

        var pages = new List<int>();
        var rows = new List<string>();
        await foreach (Page<TableEntity> page in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"p"}"), maxPerPage: 3).AsPages())
        {
            pages.Add(page.Values.Count);
            rows.AddRange(page.Values.Select(e => e.RowKey));
        }

        Assert.Equal([3, 3, 1], pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => "r" + i), rows);
    }
}
