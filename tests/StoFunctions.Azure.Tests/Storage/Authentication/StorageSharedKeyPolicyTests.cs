using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage;
using StoFunctions.Azure.Storage.Authentication;
using StoFunctions.Azure.Storage.Blobs;
using StoFunctions.Azure.Storage.Queues;
using StoFunctions.Azure.Storage.Tables;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage.Authentication;

public sealed class StorageSharedKeyPolicyTests
{
    [Fact]
    public void Blob_string_to_sign_follows_documented_layout_with_doubled_account_and_sorted_query()
    {
        Request request = new HttpClientTransport().CreateRequest();
        request.Method = RequestMethod.Put;
        request.Uri.Reset(new Uri("http://127.0.0.1:10000/devstoreaccount1/c1/dir/a%20b?comp=metadata&Restype=x&b=2&b=1"));
        request.Headers.SetValue("x-ms-version", "2021-12-02");
        request.Headers.SetValue("x-ms-date", "Sun, 22 Nov 2026 04:00:00 GMT");
        request.Headers.SetValue("x-ms-meta-Name", "  v  ");
        request.Headers.SetValue("Content-Type", "application/json");
        request.Headers.SetValue("If-Match", "\"0x1\"");
        request.Content = RequestContent.Create(new byte[5]);

        Assert.Equal(
            "PUT\n\n\n5\n\napplication/json\n\n\n\"0x1\"\n\n\n\n" +
            "x-ms-date:Sun, 22 Nov 2026 04:00:00 GMT\nx-ms-meta-name:v\nx-ms-version:2021-12-02\n" +
            "/devstoreaccount1/devstoreaccount1/c1/dir/a%20b\nb:1,2\ncomp:metadata\nrestype:x",
            StorageSharedKeyPolicy.BuildStringToSign(request, "devstoreaccount1"));
    }

    [Fact]
    public void Empty_body_signs_content_length_as_empty_string()
    {
        Request request = new HttpClientTransport().CreateRequest();
        request.Method = RequestMethod.Delete;
        request.Uri.Reset(new Uri("https://acct.queue.core.windows.net/q1/messages"));
        request.Content = RequestContent.Create(Array.Empty<byte>());
        Assert.Equal("DELETE\n\n\n\n\n\n\n\n\n\n\n\n/acct/q1/messages", StorageSharedKeyPolicy.BuildStringToSign(request, "acct"));
    }

    [Fact]
    public void Table_shared_key_lite_signs_date_and_resource_with_comp_only()
    {
        Assert.Equal(
            "Sun, 22 Nov 2026 04:00:00 GMT\n/devstoreaccount1/devstoreaccount1/t1()",
            TableSharedKeyLitePolicy.BuildStringToSign(new Uri("http://127.0.0.1:10002/devstoreaccount1/t1()?$filter=a&$top=5"), "Sun, 22 Nov 2026 04:00:00 GMT", "devstoreaccount1"));
        Assert.Equal(
            "d\n/acct/?comp=properties",
            TableSharedKeyLitePolicy.BuildStringToSign(new Uri("https://acct.table.core.windows.net/?restype=service&comp=properties"), "d", "acct"));
    }

    [Fact]
    public async Task Azurite_rejects_requests_signed_with_a_wrong_key_for_every_service()
    {
        var parsed = StorageConnectionString.Parse(await AzuriteProcess.SharedAsync());
        var wrong = new StorageSharedKeyCredential(parsed.AccountName!, Convert.ToBase64String(new byte[64]));

        RequestFailedException table = await Assert.ThrowsAsync<RequestFailedException>(
            () => new TableClient(parsed.TableEndpoint, StorageNames.Table(), wrong).CreateIfNotExistsAsync());
        RequestFailedException queue = await Assert.ThrowsAsync<RequestFailedException>(
            () => new QueueClient(parsed.QueueEndpoint, StorageNames.Lowercase("q"), wrong).CreateIfNotExistsAsync());
        RequestFailedException blob = await Assert.ThrowsAsync<RequestFailedException>(
            () => new BlobServiceClient(parsed.BlobEndpoint, wrong).GetBlobContainerClient(StorageNames.Lowercase("c")).CreateIfNotExistsAsync());

        Assert.All(new[] { table, queue, blob }, e => Assert.Equal(403, e.Status));
        // Azure answers AuthenticationFailed everywhere; Azurite's blob service says AuthorizationFailure.
        Assert.Equal("AuthenticationFailed", queue.ErrorCode);
        Assert.Equal("AuthorizationFailure", blob.ErrorCode);
    }

    [Fact]
    public async Task Shared_key_credential_constructors_work_against_azurite()
    {
        var parsed = StorageConnectionString.Parse(await AzuriteProcess.SharedAsync());
        var service = new TableServiceClient(parsed.TableEndpoint, parsed.Credential!);
        string name = StorageNames.Table();
        Assert.Equal(204, (await service.CreateTableIfNotExistsAsync(name)).Status);
        await service.GetTableClient(name).AddEntityAsync(new TableEntity("p", "r"));
        Assert.Equal(204, (await service.DeleteTableAsync(name)).Status);
    }
}
