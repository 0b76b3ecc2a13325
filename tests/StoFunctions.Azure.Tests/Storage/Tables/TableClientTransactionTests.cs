using Azure;
using StoFunctions.Azure.Storage;
using StoFunctions.Azure.Storage.Tables;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage.Tables;

public sealed class TableClientTransactionTests
{
    private static async Task<TableClient> NewTableAsync()
    {
        var client = new TableClient(await AzuriteProcess.SharedAsync(), StorageNames.Table());
        await client.CreateIfNotExistsAsync();
        return client;
    }

    private static async Task<List<TableEntity>> AllAsync(TableClient client, string? filter = null)
    {
        var all = new List<TableEntity>();
        await foreach (TableEntity entity in client.QueryAsync(filter))
        {
            all.Add(entity);
        }

        return all;
    }

    [Fact]
    public async Task Transaction_with_every_action_type_applies_all_and_returns_new_etags()
    {
        TableClient client = await NewTableAsync();
        ETag keep = (await client.AddEntityAsync(new TableEntity("p", "merge") { ["A"] = 1, ["B"] = "b" })).Headers.ETag!.Value;
        ETag replace = (await client.AddEntityAsync(new TableEntity("p", "replace") { ["A"] = 1, ["B"] = "b" })).Headers.ETag!.Value;
        ETag delete = (await client.AddEntityAsync(new TableEntity("p", "delete"))).Headers.ETag!.Value;
        await client.AddEntityAsync(new TableEntity("p", "upsertMerge") { ["B"] = "b" });

        Response<IReadOnlyList<ETag>> result = await client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["A"] = 9L }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "merge") { ["A"] = 2 }, keep),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["A"] = 2 }, replace),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsertMerge") { ["A"] = 2 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsertReplace") { ["A"] = 2 }),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete"), delete),
        ]);

        Assert.Equal(202, result.GetRawResponse().Status);
        Assert.Equal(6, result.Value.Count);
        Assert.Equal(default, result.Value[5]);
        TableEntity merged = (await client.GetEntityAsync("p", "merge")).Value;
        Assert.Equal(result.Value[1], merged.ETag);
        Assert.Equal((2, "b"), (merged.GetInt32("A"), merged.GetString("B")));
        TableEntity replaced = (await client.GetEntityAsync("p", "replace")).Value;
        Assert.Equal((2, false), (replaced.GetInt32("A"), replaced.ContainsKey("B")));
        Assert.Equal("b", (await client.GetEntityAsync("p", "upsertMerge")).Value.GetString("B"));
        Assert.Equal(9L, (await client.GetEntityAsync("p", "add")).Value.GetInt64("A"));
        Assert.Equal(["add", "merge", "replace", "upsertMerge", "upsertReplace"], (await AllAsync(client)).Select(e => e.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Transaction_with_one_existing_entity_reports_its_index_and_writes_nothing()
    {
        TableClient client = await NewTableAsync();
        await client.AddEntityAsync(new TableEntity("p", "r2") { ["V"] = "original" });

        TableTransactionFailedException e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "r0")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "r1")),
            new(TableTransactionActionType.Add, new TableEntity("p", "r2") { ["V"] = "overwritten" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "r3")),
        ]));

        Assert.Equal(2, e.FailedActionIndex);
        Assert.Equal(409, e.Status);
        Assert.Equal(StorageErrorCode.EntityAlreadyExists, e.ErrorCode);
        List<TableEntity> all = await AllAsync(client);
        Assert.Equal("r2", Assert.Single(all).RowKey);
        Assert.Equal("original", all[0].GetString("V"));
    }

    [Fact]
    public async Task Transaction_with_stale_etag_fails_412_at_that_index()
    {
        TableClient client = await NewTableAsync();
        ETag old = (await client.AddEntityAsync(new TableEntity("p", "a") { ["N"] = 1 })).Headers.ETag!.Value;
        await client.UpdateEntityAsync(new TableEntity("p", "a") { ["N"] = 2 }, old);

        TableTransactionFailedException e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "b")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "a") { ["N"] = 3 }, old),
        ]));

        Assert.Equal(1, e.FailedActionIndex);
        Assert.Equal(412, e.Status);
        Assert.Equal(StorageErrorCode.UpdateConditionNotSatisfied, e.ErrorCode);
        Assert.Equal(2, (await client.GetEntityAsync("p", "a")).Value.GetInt32("N"));
        Assert.Single(await AllAsync(client));
    }

    [Fact]
    public async Task Transaction_on_missing_table_throws_transaction_failed_exception()
    {
        var client = new TableClient(await AzuriteProcess.SharedAsync(), StorageNames.Table());
        TableTransactionFailedException e = await Assert.ThrowsAsync<TableTransactionFailedException>(
            () => client.SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity("p", "r"))]));
        Assert.Equal(404, e.Status);
        Assert.Equal(StorageErrorCode.TableNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Query_across_1100_entities_pages_by_1000_and_returns_each_once()
    {
        TableClient client = await NewTableAsync();
        for (int batch = 0; batch < 11; batch++)
        {
            await client.SubmitTransactionAsync(Enumerable.Range(batch * 100, 100)
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("bulk", i.ToString("D5")) { ["I"] = i })));
        }

        var pageSizes = new List<int>();
        var rows = new List<int>();
        await foreach (Page<TableEntity> page in client.QueryAsync(TableFilter.Create($"PartitionKey eq {"bulk"}")).AsPages())
        {
            pageSizes.Add(page.Values.Count);
            rows.AddRange(page.Values.Select(e => e.GetInt32("I")!.Value));
        }

        Assert.Equal([1000, 100], pageSizes);
        Assert.Equal(Enumerable.Range(0, 1100), rows);
    }

    [Fact]
    public async Task Query_with_filter_select_and_top_pages_and_escapes_values()
    {
        TableClient client = await NewTableAsync();
        await client.SubmitTransactionAsync(Enumerable.Range(0, 7).Select(i => new TableTransactionAction(
            TableTransactionActionType.Add,
            new TableEntity("o'neil", "r" + i) { ["N"] = (long)i, ["Extra"] = "x", ["Even"] = i % 2 == 0 })));
        await client.AddEntityAsync(new TableEntity("other", "r0") { ["N"] = 0L });

        string filter = TableFilter.Create($"PartitionKey eq {"o'neil"} and N ge {2L} and Even eq {true}");
        var pages = new List<IReadOnlyList<TableEntity>>();
        await foreach (Page<TableEntity> page in client.QueryAsync(filter, maxPerPage: 1, select: ["N"]).AsPages())
        {
            pages.Add(page.Values);
        }

        List<TableEntity> found = pages.SelectMany(p => p).ToList();
        Assert.Equal([2L, 4L, 6L], found.Select(e => e.GetInt64("N")!.Value));
        Assert.All(pages.Where(p => p.Count > 0), p => Assert.Single(p));
        Assert.All(found, e => Assert.False(e.ContainsKey("Extra")));

        // An injection attempt is a literal value, not an expression: it matches nothing.
        Assert.Empty(await AllAsync(client, TableFilter.Create($"PartitionKey eq {"x' or PartitionKey ne 'x"}")));
    }
}
