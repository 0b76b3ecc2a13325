using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>
/// The blob lease semantics the lane runner and the trigger runtime's locks and receipts rely on, against Azurite
/// with the SDK's <see cref="BlobLeaseClient"/>.
/// </summary>
public sealed class BlobLeaseTests
{
    private static async Task<BlobClient> NewBlobAsync()
    {
        BlobContainerClient container = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync()).Blobs.GetBlobContainerClient(StorageNames.Lowercase("lease"));
        await container.CreateIfNotExistsAsync();
        BlobClient blob = container.GetBlobClient("lane");
        await blob.UploadAsync(BinaryData.FromString(""), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } });
        return blob;
    }

    [Fact]
    public async Task A_second_holder_is_refused_409_while_the_first_lease_is_held_and_gets_it_after_release()
    {
        BlobClient blob = await NewBlobAsync();
        BlobLeaseClient first = blob.GetBlobLeaseClient();
        BlobLeaseClient second = blob.GetBlobLeaseClient();
        await first.AcquireAsync(TimeSpan.FromSeconds(15));

        RequestFailedException refused = await Assert.ThrowsAsync<RequestFailedException>(() => second.AcquireAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal((409, BlobErrorCode.LeaseAlreadyPresent.ToString()), (refused.Status, refused.ErrorCode));

        await first.ReleaseAsync();
        BlobLease taken = (await second.AcquireAsync(TimeSpan.FromSeconds(15))).Value;
        Assert.Equal(second.LeaseId, taken.LeaseId);
    }

    [Fact]
    public async Task The_same_lease_id_acquires_again_after_an_outage_instead_of_waiting_for_expiry()
    {
        BlobClient blob = await NewBlobAsync();
        string id = Guid.NewGuid().ToString("D");
        await blob.GetBlobLeaseClient(id).AcquireAsync(TimeSpan.FromSeconds(60));

        // LaneRunner proposes the same id every time: its own unexpired lease is simply taken again.
        BlobLease again = (await blob.GetBlobLeaseClient(id).AcquireAsync(TimeSpan.FromSeconds(60))).Value;

        Assert.Equal(id, again.LeaseId);
    }

    [Fact]
    public async Task A_write_without_the_lease_id_is_refused_412_and_with_it_succeeds()
    {
        BlobClient blob = await NewBlobAsync();
        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15));

        RequestFailedException refused = await Assert.ThrowsAsync<RequestFailedException>(() => blob.SetMetadataAsync(new Dictionary<string, string> { ["k"] = "v" }));
        Assert.Equal((412, BlobErrorCode.LeaseIdMissing.ToString()), (refused.Status, refused.ErrorCode));

        await blob.SetMetadataAsync(new Dictionary<string, string> { ["k"] = "v" }, new BlobRequestConditions { LeaseId = lease.LeaseId });
        Assert.Equal("v", (await blob.GetPropertiesAsync()).Value.Metadata["k"]);
    }

    [Fact]
    public async Task Renewing_a_lease_another_holder_took_after_a_break_is_refused_409()
    {
        BlobClient blob = await NewBlobAsync();
        BlobLeaseClient first = blob.GetBlobLeaseClient();
        await first.AcquireAsync(TimeSpan.FromSeconds(15));
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15));

        RequestFailedException refused = await Assert.ThrowsAsync<RequestFailedException>(() => first.RenewAsync());

        Assert.Equal(409, refused.Status);
    }

    [Fact]
    public async Task Creating_a_blob_that_exists_with_if_none_match_star_is_refused_and_leaves_it_unchanged()
    {
        BlobClient blob = await NewBlobAsync();
        await blob.UploadAsync(BinaryData.FromString("first"), overwrite: true);

        RequestFailedException refused = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("second"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }));

        Assert.Equal(409, refused.Status);
        Assert.Equal("first", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }
}
