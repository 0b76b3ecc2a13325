using Azure;
using StoFunctions.Azure.Storage;
using StoFunctions.Azure.Storage.Tables;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage.Tables;

public sealed class TableClientTests
{
    private static async Task<TableClient> NewTableAsync()
    {
        var client = new TableClient(await AzuriteProcess.SharedAsync(), StorageNames.Table());
        await client.CreateIfNotExistsAsync();
        return client;
    }

    [Fact]
    public async Task CreateIfNotExists_twice_succeeds_and_delete_removes_table()
    {
        var client = new TableClient(await AzuriteProcess.SharedAsync(), StorageNames.Table());
        Assert.Equal(204, (await client.CreateIfNotExistsAsync()).Status);
        Assert.Equal(409, (await client.CreateIfNotExistsAsync()).Status);
        Assert.Equal(204, (await client.DeleteAsync()).Status);
        Assert.Equal(404, (await client.DeleteAsync()).Status);
        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => client.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(404, e.Status);
        Assert.Equal(StorageErrorCode.TableNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Typed_properties_round_trip_exactly()
    {
        TableClient client = await NewTableAsync();
        var when = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.Zero).AddTicks(1234567);
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var entity = new TableEntity("p'1", "r 1")
        {
            ["Text"] = "it's \"quoted\" ü",
            ["Small"] = -7,
            ["Big"] = long.MaxValue,
            ["Ratio"] = 2.0,
            ["Flag"] = true,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 0, 1, 254, 255 },
        };
        Response added = await client.AddEntityAsync(entity);
        Assert.Equal(204, added.Status);

        TableEntity read = (await client.GetEntityAsync("p'1", "r 1")).Value;
        Assert.Equal("p'1", read.PartitionKey);
        Assert.Equal("r 1", read.RowKey);
        Assert.Equal(added.Headers.ETag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("it's \"quoted\" ü", read.GetString("Text"));
        Assert.Equal(-7, read.GetInt32("Small"));
        Assert.Equal(long.MaxValue, read.GetInt64("Big"));
        Assert.Equal(2.0, read["Ratio"]);
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, read.GetBinary("Bytes"));
        Assert.Equal(8, read.Count);
    }

    [Fact]
    public async Task GetEntity_missing_throws_404_ResourceNotFound()
    {
        TableClient client = await NewTableAsync();
        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetEntityAsync("p", "missing"));
        Assert.Equal(404, e.Status);
        Assert.Equal(StorageErrorCode.ResourceNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task GetEntityIfExists_returns_no_value_for_missing_and_the_entity_when_present()
    {
        TableClient client = await NewTableAsync();
        NullableResponse<TableEntity> missing = await client.GetEntityIfExistsAsync("p", "r");
        Assert.False(missing.HasValue);
        Assert.Equal(404, missing.GetRawResponse().Status);

        ETag etag = (await client.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 5 })).Headers.ETag!.Value;
        NullableResponse<TableEntity> present = await client.GetEntityIfExistsAsync("p", "r");
        Assert.True(present.HasValue);
        TableEntity found = present.Value!;
        Assert.Equal((5, etag), (found.GetInt32("N"), found.ETag));
    }

    [Fact]
    public async Task AddEntity_existing_throws_409_EntityAlreadyExists()
    {
        TableClient client = await NewTableAsync();
        await client.AddEntityAsync(new TableEntity("p", "r"));
        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => client.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(409, e.Status);
        Assert.Equal(StorageErrorCode.EntityAlreadyExists, e.ErrorCode);
    }

    [Fact]
    public async Task Upsert_merge_keeps_other_properties_and_replace_drops_them()
    {
        TableClient client = await NewTableAsync();
        await client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = "b" }, TableUpdateMode.Replace);
        await client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, TableUpdateMode.Merge);
        TableEntity merged = (await client.GetEntityAsync("p", "r")).Value;
        Assert.Equal(2, merged.GetInt32("A"));
        Assert.Equal("b", merged.GetString("B"));

        await client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 3 }, TableUpdateMode.Replace);
        TableEntity replaced = (await client.GetEntityAsync("p", "r")).Value;
        Assert.Equal(3, replaced.GetInt32("A"));
        Assert.False(replaced.ContainsKey("B"));
    }

    [Fact]
    public async Task UpdateEntity_with_stale_etag_throws_concurrency_exception_and_keeps_value()
    {
        TableClient client = await NewTableAsync();
        ETag first = (await client.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 })).Headers.ETag!.Value;
        Response updated = await client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, first, TableUpdateMode.Replace);
        Assert.NotEqual(first, updated.Headers.ETag);

        TableConcurrencyException e = await Assert.ThrowsAsync<TableConcurrencyException>(
            () => client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 3 }, first, TableUpdateMode.Merge));
        Assert.Equal(412, e.Status);
        Assert.Equal(StorageErrorCode.UpdateConditionNotSatisfied, e.ErrorCode);
        Assert.Equal(2, (await client.GetEntityAsync("p", "r")).Value.GetInt32("N"));
    }

    [Fact]
    public async Task UpdateEntity_missing_entity_throws_404()
    {
        TableClient client = await NewTableAsync();
        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(
            () => client.UpdateEntityAsync(new TableEntity("p", "nope"), ETag.All));
        Assert.Equal(404, e.Status);
    }

    [Fact]
    public async Task DeleteEntity_with_stale_etag_throws_and_with_current_etag_deletes()
    {
        TableClient client = await NewTableAsync();
        ETag first = (await client.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 })).Headers.ETag!.Value;
        ETag second = (await client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, first)).Headers.ETag!.Value;

        await Assert.ThrowsAsync<TableConcurrencyException>(() => client.DeleteEntityAsync("p", "r", first));
        Assert.Equal(204, (await client.DeleteEntityAsync("p", "r", second)).Status);
        Assert.Equal(404, (await client.DeleteEntityAsync("p", "r")).Status);
        await Assert.ThrowsAsync<RequestFailedException>(() => client.GetEntityAsync("p", "r"));
    }

    [Fact]
    public async Task Twenty_parallel_etag_guarded_increments_end_at_exactly_twenty()
    {
        TableClient client = await NewTableAsync();
        await client.AddEntityAsync(new TableEntity("counter", "c") { ["Value"] = 0L });
        int conflicts = 0;

        async Task IncrementAsync()
        {
            while (true)
            {
                TableEntity current = (await client.GetEntityAsync("counter", "c")).Value;
                current["Value"] = current.GetInt64("Value")!.Value + 1;
                try
                {
                    await client.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace);
                    return;
                }
                catch (TableConcurrencyException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(IncrementAsync)));
        Assert.Equal(20L, (await client.GetEntityAsync("counter", "c")).Value.GetInt64("Value"));
    }
}
