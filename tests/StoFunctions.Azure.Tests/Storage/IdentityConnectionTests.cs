using System.Net;
using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using StoFunctions.Azure.Storage;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>
/// An identity-based <c>AzureWebJobsStorage</c> (service URIs, no key) end to end: <see cref="StorageAccount"/>
/// resolves it as Azure Functions does, with a credential the test controls in place of DefaultAzureCredential,
/// against a real Azurite that accepts only bearer tokens over HTTPS (<see cref="OAuthAzurite"/>). The only test
/// hook is <see cref="StorageTransport.Transport"/>, to trust the test's self-signed certificate.
/// </summary>
public sealed class IdentityConnectionTests(OAuthAzurite storage) : IClassFixture<OAuthAzurite>
{
    private StorageAccount Open(RecordingTokenCredential credential)
    {
        IConfiguration settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:blobServiceUri"] = storage.Azurite.BlobServiceUri.ToString(),
            ["AzureWebJobsStorage:queueServiceUri"] = storage.Azurite.QueueServiceUri.ToString(),
            ["AzureWebJobsStorage:tableServiceUri"] = storage.Azurite.TableServiceUri.ToString(),
        }).Build();
        return StorageAccount.FromConfiguration(settings, "AzureWebJobsStorage", credential,
            new StorageTransport { Transport = new HttpClientTransport(storage.CreateHttpHandler()), MaxRetries = 0 });
    }

    [Fact]
    public async Task Service_uris_and_a_storage_token_run_a_table_transaction_a_queue_round_trip_and_a_blob_lease_over_https()
    {
        var credential = new RecordingTokenCredential(issue: OAuthAzurite.Jwt);
        StorageAccount account = Open(credential);

        TableClient table = account.Tables.GetTableClient(StorageNames.Table());
        await table.CreateAsync();
        IReadOnlyList<Response> added = (await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("lane", "1") { ["Nonce"] = 1L }),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("lane", "2") { ["Nonce"] = 2L }),
        ])).Value;
        List<TableEntity> rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == "lane").ToListAsync();

        QueueClient queue = account.Queues.GetQueueClient(StorageNames.Lowercase("q"));
        await queue.CreateAsync();
        await queue.SendMessageAsync("{\"command\":\"issue\"}");
        QueueMessage received = (await queue.ReceiveMessageAsync()).Value;
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        BlobContainerClient container = account.Blobs.GetBlobContainerClient(StorageNames.Lowercase("c"));
        await container.CreateAsync();
        BlobClient blob = container.GetBlobClient("lane");
        await blob.UploadAsync(BinaryData.FromString("lease me"));
        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        BlobLease held = (await lease.AcquireAsync(TimeSpan.FromSeconds(15))).Value;
        BlobProperties properties = (await blob.GetPropertiesAsync()).Value;
        await lease.ReleaseAsync();

        Assert.Equal([204, 204], added.Select(r => r.Status));
        Assert.Equal(["1", "2"], rows.Select(r => r.RowKey));
        Assert.Equal("{\"command\":\"issue\"}", received.MessageText);
        Assert.Equal(lease.LeaseId, held.LeaseId);
        Assert.Equal(LeaseState.Leased, properties.LeaseState);
        Assert.NotEmpty(credential.Requests);
        Assert.All(credential.Requests, r => Assert.Equal(["https://storage.azure.com/.default"], r.Scopes));
    }

    [Theory]
    [InlineData("table", "Tables")]
    [InlineData("queue", "?comp=list")]
    [InlineData("blob", "?comp=list")]
    public async Task A_request_without_a_token_is_refused(string service, string path)
    {
        Uri endpoint = service switch
        {
            "table" => storage.Azurite.TableServiceUri,
            "queue" => storage.Azurite.QueueServiceUri,
            _ => storage.Azurite.BlobServiceUri,
        };
        using var client = new HttpClient(storage.CreateHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint + "/" + path);
        request.Headers.Add("x-ms-version", "2026-06-06");
        request.Headers.Add("x-ms-date", DateTimeOffset.UtcNow.ToString("R"));

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{service}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_token_for_another_resource_is_refused()
    {
        // The same token shape with Key Vault's audience: Azurite checks it, so the accepted requests above prove
        // the clients asked for the storage scope.
        StorageAccount account = Open(new RecordingTokenCredential(issue: _ => OAuthAzurite.Jwt("https://vault.azure.net")));

        RequestFailedException refused = await Assert.ThrowsAsync<RequestFailedException>(() => account.Tables.GetTableClient(StorageNames.Table()).CreateAsync());

        Assert.True(refused.Status is 401 or 403, $"{refused.Status} {refused.Message}");
        Assert.Contains("audience", refused.Message, StringComparison.OrdinalIgnoreCase);
    }
}
