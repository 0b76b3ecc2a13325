using Azure;
using StoFunctions.Azure.Storage.Blobs;
using StoFunctions.Azure.Storage.Queues;
using StoFunctions.Azure.Storage.Tables;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>Bad input fails with a clear exception and no request reaches the service (counted at the transport).</summary>
public sealed class StorageValidationTests
{
    private readonly CountingTransport _transport = new();

    private async Task<TableClient> TableAsync()
    {
        var table = new TableClient(await AzuriteProcess.SharedAsync(), StorageNames.Table(), new TableClientOptions { Transport = _transport });
        await table.CreateIfNotExistsAsync();
        return table;
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1table")]
    [InlineData("tab-le")]
    [InlineData("tables")]
    public async Task Invalid_table_name_throws_before_any_request(string name)
    {
        string connection = await AzuriteProcess.SharedAsync();
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TableClient(connection, name, new TableClientOptions { Transport = _transport }));
        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TableServiceClient(connection).GetTableClient(name));
        Assert.Equal(0, _transport.Count);
    }

    [Theory]
    [InlineData("a/b", "'/' at position 1")]
    [InlineData("a\\b", "'\\' at position 1")]
    [InlineData("#", "'#' at position 0")]
    [InlineData("why?", "'?' at position 3")]
    [InlineData("tab\there", "'U+0009' at position 3")]
    [InlineData("del\u007F", "'U+007F' at position 3")]
    public async Task Forbidden_key_characters_throw_before_any_request(string key, string expected)
    {
        TableClient table = await TableAsync();
        int before = _transport.Count;

        ArgumentException add = await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", key)));
        Assert.Contains(expected, add.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync(key, "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(new TableEntity(key, "r")));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteEntityAsync("p", key));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity("p", key))]));
        Assert.Equal(before, _transport.Count);
    }

    [Fact]
    public async Task Oversize_entities_throw_before_any_request()
    {
        TableClient table = await TableAsync();
        int before = _transport.Count;

        var tooLong = new TableEntity("p", "r") { ["S"] = new string('x', 32 * 1024 + 1) };
        Assert.Contains("32769 characters", (await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(tooLong))).Message, StringComparison.Ordinal);

        var binary = new TableEntity("p", "r") { ["B"] = new byte[64 * 1024 + 1] };
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(binary));

        var huge = new TableEntity("p", "r");
        for (int i = 0; i < 20; i++)
        {
            huge["S" + i] = new string('x', 30 * 1024);
        }

        Assert.Contains("1 MiB", (await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(huge))).Message, StringComparison.Ordinal);

        var wide = new TableEntity("p", "r");
        for (int i = 0; i < 253; i++)
        {
            wide["P" + i] = i;
        }

        Assert.Contains("253 properties", (await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(wide))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", new string('k', 513))));
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["bad-name"] = 1 }));
        Assert.Equal(before, _transport.Count);
    }

    [Fact]
    public async Task Invalid_transactions_throw_before_any_request()
    {
        TableClient table = await TableAsync();
        int before = _transport.Count;
        TableTransactionAction Add(string pk, string rk) => new(TableTransactionActionType.Add, new TableEntity(pk, rk));

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));
        ArgumentException tooMany = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(Enumerable.Range(0, 101).Select(i => Add("p", "r" + i))));
        Assert.Contains("not 101", tooMany.Message, StringComparison.Ordinal);
        ArgumentException partitions = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([Add("p", "1"), Add("q", "2")]));
        Assert.Contains("action 1 has PartitionKey 'q'", partitions.Message, StringComparison.Ordinal);
        ArgumentException noETag = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([Add("p", "1"), new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "2"))]));
        Assert.Contains("action 1 updates (p, 2) without an ETag", noETag.Message, StringComparison.Ordinal);
        ArgumentException twice = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([Add("p", "1"), Add("p", "1")]));
        Assert.Contains("repeats RowKey '1'", twice.Message, StringComparison.Ordinal);
        Assert.Equal(before, _transport.Count);
    }

    [Fact]
    public async Task Update_without_etag_throws_before_any_request()
    {
        TableClient table = await TableAsync();
        int before = _transport.Count;
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), default));
        Assert.Contains("ETag.All", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, _transport.Count);
    }

    [Fact]
    public async Task Oversize_queue_message_throws_before_any_request()
    {
        var queue = new QueueClient(await AzuriteProcess.SharedAsync(), StorageNames.Lowercase("q"), new QueueClientOptions { Transport = _transport });
        await queue.CreateIfNotExistsAsync();
        int before = _transport.Count;

        // 48 KiB + 1 byte of payload is just over 64 KiB in base64.
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new BinaryData(new byte[48 * 1024 + 1])));
        Assert.Contains("64 KiB", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(33));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        Assert.Equal(before, _transport.Count);

        // Exactly 48 KiB encodes to exactly 64 KiB, which the service accepts.
        await queue.SendMessageAsync(new BinaryData(new byte[48 * 1024]));
        Assert.Equal(48 * 1024, Assert.Single((await queue.ReceiveMessagesAsync()).Value).Body.ToArray().Length);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("a--b")]
    [InlineData("-ab")]
    [InlineData("ab")]
    public async Task Invalid_queue_and_container_names_throw_before_any_request(string name)
    {
        string connection = await AzuriteProcess.SharedAsync();
        Assert.Throws<ArgumentException>(() => new QueueClient(connection, name, new QueueClientOptions { Transport = _transport }));
        Assert.Throws<ArgumentException>(() => new BlobContainerClient(connection, name, new BlobClientOptions { Transport = _transport }));
        Assert.Equal(0, _transport.Count);
    }

    [Fact]
    public void Bad_connection_string_throws_before_any_request()
    {
        Assert.Throws<FormatException>(() => new TableClient("AccountName=x;AccountKey=%%%", "table", new TableClientOptions { Transport = _transport }));
        Assert.Throws<FormatException>(() => new QueueServiceClient("nonsense", new QueueClientOptions { Transport = _transport }));
        Assert.Throws<FormatException>(() => new BlobServiceClient("UseDevelopmentStorage=yes", new BlobClientOptions { Transport = _transport }));
        Assert.Equal(0, _transport.Count);
    }

    [Fact]
    public void Unsupported_property_type_is_rejected_when_set()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TableEntity("p", "r") { ["D"] = 1.5m });
        Assert.Contains("Decimal", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TableEntity("p", "r") { ["RowKey"] = "x" });
    }
}
