using Microsoft.Extensions.Configuration;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Runtime;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Runtime;

public sealed class TriggerStorageTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task A_connection_string_setting_opens_its_blob_and_queue_endpoints()
    {
        string connection = await AzuriteProcess.SharedAsync();

        var clients = TriggerStorage.Open(Settings(("AzureWebJobsStorage", connection)), "AzureWebJobsStorage", QueueMessageEncoding.Base64);

        Assert.Contains(clients.Blobs.Uri.ToString().TrimEnd('/'), connection, StringComparison.Ordinal);
        Assert.Contains(clients.Queues.Uri.ToString().TrimEnd('/'), connection, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_based_setting_with_an_account_name_uses_the_public_endpoints()
    {
        var clients = TriggerStorage.Open(
            Settings(("AzureWebJobsStorage:accountName", "stofuncprod"), ("AzureWebJobsStorage:credential", "managedidentity"), ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")),
            "AzureWebJobsStorage",
            QueueMessageEncoding.Base64);

        Assert.Equal("https://stofuncprod.blob.core.windows.net/", clients.Blobs.Uri.ToString());
        Assert.Equal("https://stofuncprod.queue.core.windows.net/", clients.Queues.Uri.ToString());
        Assert.Equal("https://stofuncprod.queue.core.windows.net/", clients.RawQueues.Uri.ToString());
    }

    [Fact]
    public void A_missing_setting_is_reported_with_both_ways_to_set_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TriggerStorage.Open(Settings(), "AzureWebJobsStorage", QueueMessageEncoding.Base64));

        Assert.Contains("'AzureWebJobsStorage' is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__accountName", error.Message, StringComparison.Ordinal);
    }
}
