using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using StoFunctions.Azure.Storage;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>
/// <see cref="StorageAccount"/> resolves <c>AzureWebJobsStorage</c> as Azure Functions does. Here the identity-based
/// path runs the real SDK pipelines against a credential the test controls and a recording transport, to see the
/// endpoints, headers and scopes; <see cref="IdentityConnectionTests"/> runs it against Azurite over HTTPS with OAuth.
/// </summary>
public sealed class StorageAccountTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static (StorageAccount Account, RecordingHandler Handler, RecordingStorageCredential Credential) Identity(params (string Key, string Value)[] values)
    {
        var handler = new RecordingHandler(HttpStatusCode.Created);
        var credential = new RecordingStorageCredential("token-from-test");
        StorageAccount account = StorageAccount.FromConfiguration(Settings(values), "AzureWebJobsStorage", credential,
            new StorageTransport { Transport = new HttpClientTransport(new HttpClient(handler)), MaxRetries = 0 });
        return (account, handler, credential);
    }

    [Fact]
    public async Task Identity_settings_with_an_account_name_send_the_injected_credentials_bearer_token_to_the_public_endpoints()
    {
        (StorageAccount account, RecordingHandler handler, RecordingStorageCredential credential) = Identity(("AzureWebJobsStorage:accountName", "stofuncprod"));

        await account.Tables.CreateTableIfNotExistsAsync("ledger");
        await account.Blobs.GetBlobContainerClient("lane-leases").CreateIfNotExistsAsync();
        await account.Queues.GetQueueClient("sto-commands").CreateIfNotExistsAsync();

        Assert.Same(credential, account.Credential);
        Assert.Equal(
            ["https://stofuncprod.table.core.windows.net", "https://stofuncprod.blob.core.windows.net", "https://stofuncprod.queue.core.windows.net"],
            handler.Requests.Select(r => r.Uri.GetLeftPart(UriPartial.Authority)));
        Assert.All(handler.Requests, r => Assert.Equal("Bearer token-from-test", r.Authorization));
        Assert.All(credential.Scopes, s => Assert.Equal("https://storage.azure.com/.default", s));
        Assert.NotEmpty(credential.Scopes);
    }

    [Fact]
    public async Task Identity_service_uris_override_the_account_name_per_service()
    {
        (StorageAccount account, RecordingHandler handler, _) = Identity(
            ("AzureWebJobsStorage:accountName", "ignored"),
            ("AzureWebJobsStorage:blobServiceUri", "https://blobs.example.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://queues.example.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://tables.example.net"));

        await account.Tables.CreateTableIfNotExistsAsync("t");
        await account.Blobs.GetBlobContainerClient("c").CreateIfNotExistsAsync();
        await account.RawQueues.GetQueueClient("q").CreateIfNotExistsAsync();

        Assert.Equal(["tables.example.net", "blobs.example.net", "queues.example.net"], handler.Requests.Select(r => r.Uri.Host));
    }

    [Fact]
    public async Task Blob_and_queue_requests_carry_the_pinned_service_version_Azurite_accepts()
    {
        (StorageAccount account, RecordingHandler handler, _) = Identity(("AzureWebJobsStorage:accountName", "acct"));

        await account.Blobs.GetBlobContainerClient("c").CreateIfNotExistsAsync();
        await account.Queues.GetQueueClient("q").CreateIfNotExistsAsync();

        Assert.Equal(["2026-06-06", "2026-06-06"], handler.Requests.Select(r => r.Version));
    }

    [Fact]
    public void Managed_identity_settings_build_a_ManagedIdentityCredential_and_otherwise_DefaultAzureCredential()
    {
        StorageAccount managed = StorageAccount.FromConfiguration(Settings(
            ("AzureWebJobsStorage:accountName", "acct"), ("AzureWebJobsStorage:credential", "managedidentity"), ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));
        StorageAccount byDefault = StorageAccount.FromConfiguration(Settings(("AzureWebJobsStorage:accountName", "acct")));

        Assert.IsType<ManagedIdentityCredential>(managed.Credential);
        Assert.IsType<DefaultAzureCredential>(byDefault.Credential);
    }

    [Fact]
    public async Task A_connection_string_opens_its_endpoints_with_the_account_key_and_works_against_Azurite()
    {
        string connection = await AzuriteProcess.SharedAsync();

        StorageAccount account = StorageAccount.FromConfiguration(Settings(("ConnectionStrings:AzureWebJobsStorage", connection)));

        Assert.Null(account.Credential);
        Assert.Contains(account.Blobs.Uri.ToString().TrimEnd('/'), connection, StringComparison.Ordinal);
        Assert.Contains(account.Queues.Uri.ToString().TrimEnd('/'), connection, StringComparison.Ordinal);
        // Azurite (no --skipApiVersionCheck) accepts the pinned version on every service.
        Assert.Equal(201, (await account.Queues.GetQueueClient(StorageNames.Lowercase("cs")).CreateIfNotExistsAsync()).Status);
        Assert.Equal(201, (await account.Blobs.GetBlobContainerClient(StorageNames.Lowercase("cs")).CreateIfNotExistsAsync()).GetRawResponse().Status);
        Assert.Equal(204, (await account.Tables.CreateTableIfNotExistsAsync(StorageNames.Table())).GetRawResponse().Status);
    }

    [Fact]
    public void No_connection_string_and_no_identity_settings_is_reported_with_both_ways_to_set_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageAccount.FromConfiguration(Settings(), "AzureWebJobsStorage"));

        Assert.Contains("'AzureWebJobsStorage' is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseDevelopmentStorage=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__accountName", error.Message, StringComparison.Ordinal);
        Assert.False(StorageAccount.IsConfigured(Settings()));
        Assert.True(StorageAccount.IsConfigured(Settings(("AzureWebJobsStorage:tableServiceUri", "https://t.example.net"))));
    }
}
