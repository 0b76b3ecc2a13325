using Azure;
using StoFunctions.Azure.Storage;
using StoFunctions.Azure.Storage.Blobs;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage.Blobs;

public sealed class BlobClientTests
{
    private static async Task<BlobContainerClient> NewContainerAsync()
    {
        var service = new BlobServiceClient(await AzuriteProcess.SharedAsync());
        BlobContainerClient container = service.GetBlobContainerClient(StorageNames.Lowercase("c"));
        Assert.Equal(201, (await container.CreateIfNotExistsAsync()).Status);
        return container;
    }

    [Fact]
    public async Task Upload_create_only_then_second_create_only_fails_409_BlobAlreadyExists()
    {
        BlobContainerClient container = await NewContainerAsync();
        BlobClient blob = container.GetBlobClient("dir/a b+ü.json");
        var createOnly = new BlobRequestConditions { IfNoneMatch = ETag.All };
        BlobInfo info = (await blob.UploadAsync(BinaryData.FromString("{\"v\":1}"), createOnly, contentType: "application/json")).Value;

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("{\"v\":2}"), createOnly));
        Assert.Equal(409, e.Status);
        Assert.Equal(StorageErrorCode.BlobAlreadyExists, e.ErrorCode);

        BlobDownloadResult download = (await blob.DownloadContentAsync()).Value;
        Assert.Equal("{\"v\":1}", download.Content.ToString());
        Assert.Equal(info.ETag, download.Details.ETag);
        Assert.Equal("application/json", download.Details.ContentType);
        Assert.Equal(7, download.Details.ContentLength);
    }

    [Fact]
    public async Task Upload_with_if_match_overwrites_only_the_version_read()
    {
        BlobContainerClient container = await NewContainerAsync();
        BlobClient blob = container.GetBlobClient("state");
        ETag v1 = (await blob.UploadAsync(BinaryData.FromString("1"))).Value.ETag;
        ETag v2 = (await blob.UploadAsync(BinaryData.FromString("2"), new BlobRequestConditions { IfMatch = v1 })).Value.ETag;
        Assert.NotEqual(v1, v2);

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(
            () => blob.UploadAsync(BinaryData.FromString("3"), new BlobRequestConditions { IfMatch = v1 }));
        Assert.Equal(412, e.Status);
        Assert.Equal(StorageErrorCode.ConditionNotMet, e.ErrorCode);
        Assert.Equal("2", (await blob.DownloadContentAsync()).Value.Content.ToString());

        RequestFailedException missing = await Assert.ThrowsAsync<RequestFailedException>(
            () => container.GetBlobClient("never").UploadAsync(BinaryData.FromString("x"), new BlobRequestConditions { IfMatch = v2 }));
        Assert.Equal(412, missing.Status);
    }

    [Fact]
    public async Task Metadata_round_trips_and_set_metadata_changes_etag()
    {
        BlobContainerClient container = await NewContainerAsync();
        BlobClient blob = container.GetBlobClient("m");
        ETag first = (await blob.UploadAsync(BinaryData.Empty, metadata: new Dictionary<string, string> { ["Incomplete"] = "true" })).Value.ETag;

        BlobProperties properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("true", properties.Metadata["Incomplete"]);
        Assert.Equal(0, properties.ContentLength);
        Assert.Equal(first, properties.ETag);
        Assert.Equal("available", properties.LeaseState);

        ETag second = (await blob.SetMetadataAsync(new Dictionary<string, string> { ["Done"] = "1" }, new BlobRequestConditions { IfMatch = first })).Value.ETag;
        Assert.NotEqual(first, second);
        BlobProperties updated = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(["Done"], updated.Metadata.Keys);
    }

    [Fact]
    public async Task Get_properties_download_and_delete_of_missing_blob_report_BlobNotFound()
    {
        BlobContainerClient container = await NewContainerAsync();
        BlobClient blob = container.GetBlobClient("missing");
        RequestFailedException head = await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetPropertiesAsync());
        Assert.Equal((404, StorageErrorCode.BlobNotFound), (head.Status, head.ErrorCode));
        RequestFailedException get = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync());
        Assert.Equal(StorageErrorCode.BlobNotFound, get.ErrorCode);
        Assert.False((await blob.ExistsAsync()).Value);
        Assert.False((await blob.DeleteIfExistsAsync()).Value);

        await blob.UploadAsync(BinaryData.FromString("x"));
        Assert.True((await blob.ExistsAsync()).Value);
        Assert.Equal(202, (await blob.DeleteAsync()).Status);
        await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync());
    }

    [Fact]
    public async Task List_by_prefix_pages_with_marker_and_returns_header_equal_etags()
    {
        BlobContainerClient container = await NewContainerAsync();
        var etags = new Dictionary<string, ETag>();
        foreach (string name in new[] { "a/1", "a/2", "a/3", "a/4", "a/5", "b/1" })
        {
            etags[name] = (await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(name), metadata: new Dictionary<string, string> { ["N"] = name.Replace('/', '_') })).Value.ETag;
        }

        var pages = new List<List<BlobItem>>();
        await foreach (Page<BlobItem> page in container.GetBlobsAsync("a/").AsPages(pageSizeHint: 2))
        {
            pages.Add(page.Values.ToList());
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        List<BlobItem> all = pages.SelectMany(p => p).ToList();
        Assert.Equal(["a/1", "a/2", "a/3", "a/4", "a/5"], all.Select(b => b.Name));
        Assert.All(all, b => Assert.Equal(etags[b.Name], b.ETag));
        Assert.Equal("a_3", all[2].Metadata["N"]);
        Assert.Equal(3, all[2].ContentLength);
    }

    [Fact]
    public async Task Delete_container_removes_it_and_is_idempotent()
    {
        BlobContainerClient container = await NewContainerAsync();
        Assert.Equal(409, (await container.CreateIfNotExistsAsync()).Status);
        Assert.Equal(202, (await container.DeleteAsync()).Status);
        Assert.Equal(404, (await container.DeleteAsync()).Status);
        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("x").UploadAsync(BinaryData.Empty));
        Assert.Equal(StorageErrorCode.ContainerNotFound, e.ErrorCode);
    }
}
