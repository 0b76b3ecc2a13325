using Azure;
using StoFunctions.Azure.Storage;
using StoFunctions.Azure.Storage.Blobs;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage.Blobs;

public sealed class BlobLeaseClientTests
{
    private static async Task<BlobClient> NewBlobAsync()
    {
        var container = new BlobContainerClient(await AzuriteProcess.SharedAsync(), StorageNames.Lowercase("l"));
        await container.CreateIfNotExistsAsync();
        BlobClient blob = container.GetBlobClient("locks/host/fn.Listener");
        await blob.UploadAsync(BinaryData.Empty);
        return blob;
    }

    [Fact]
    public async Task Two_clients_cannot_hold_the_same_lease()
    {
        BlobClient blob = await NewBlobAsync();
        BlobLeaseClient first = blob.GetBlobLeaseClient();
        BlobLeaseClient second = blob.GetBlobLeaseClient();

        BlobLease lease = (await first.AcquireAsync(TimeSpan.FromSeconds(15))).Value;
        Assert.Equal(first.LeaseId, lease.LeaseId);
        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => second.AcquireAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal((409, StorageErrorCode.LeaseAlreadyPresent), (e.Status, e.ErrorCode));
        RequestFailedException renew = await Assert.ThrowsAsync<RequestFailedException>(() => second.RenewAsync());
        Assert.Equal(StorageErrorCode.LeaseIdMismatchWithLeaseOperation, renew.ErrorCode);

        await first.RenewAsync();
        await first.ReleaseAsync();
        Assert.Equal(second.LeaseId, (await second.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration)).Value.LeaseId);
        Assert.Equal("infinite", (await blob.GetPropertiesAsync()).Value.LeaseDuration);
    }

    [Fact]
    public async Task Concurrent_acquires_let_exactly_one_client_win()
    {
        BlobClient blob = await NewBlobAsync();
        BlobLeaseClient[] clients = Enumerable.Range(0, 8).Select(_ => blob.GetBlobLeaseClient()).ToArray();
        bool[] won = await Task.WhenAll(clients.Select(async c =>
        {
            try
            {
                await c.AcquireAsync(TimeSpan.FromSeconds(60));
                return true;
            }
            catch (RequestFailedException e) when (e.ErrorCode == StorageErrorCode.LeaseAlreadyPresent)
            {
                return false;
            }
        }));
        Assert.Single(won, w => w);
    }

    [Fact]
    public async Task Leased_blob_rejects_writes_without_lease_id_and_accepts_with_it()
    {
        BlobClient blob = await NewBlobAsync();
        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(30));

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(
            () => blob.SetMetadataAsync(new Dictionary<string, string> { ["FunctionInstance"] = "x" }));
        Assert.Equal((412, StorageErrorCode.LeaseIdMissing), (e.Status, e.ErrorCode));
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["FunctionInstance"] = "x" }, new BlobRequestConditions { LeaseId = lease.LeaseId });
        Assert.Equal("x", (await blob.GetPropertiesAsync()).Value.Metadata["FunctionInstance"]);
    }

    [Fact]
    public async Task Change_moves_lease_to_new_id_and_break_frees_it()
    {
        BlobClient blob = await NewBlobAsync();
        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        string original = lease.LeaseId;
        await lease.AcquireAsync(TimeSpan.FromSeconds(60));
        string proposed = Guid.NewGuid().ToString("D");
        await lease.ChangeAsync(proposed);
        Assert.Equal(proposed, lease.LeaseId);
        await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetBlobLeaseClient(original).RenewAsync());
        await lease.RenewAsync();

        Assert.Equal(0, (await blob.GetBlobLeaseClient("ignored").BreakAsync(TimeSpan.Zero)).Value.LeaseTime);
        Assert.Equal("broken", (await blob.GetPropertiesAsync()).Value.LeaseState);
        await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Acquire_rejects_out_of_range_durations_before_sending()
    {
        BlobClient blob = await NewBlobAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(14)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(61)));
        Assert.Equal("available", (await blob.GetPropertiesAsync()).Value.LeaseState);
    }
}
