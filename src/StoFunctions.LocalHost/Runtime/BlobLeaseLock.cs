using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;

namespace StoFunctions.Runtime;

/// <summary>
/// A lease held on a blob and renewed every half period until disposed (then released) or lost (another
/// holder, or renewals failing for a whole period). The WebJobs SDK's <c>BlobLeaseDistributedLockManager</c>
/// does the same for singleton locks, creating the lock blob on first use.
/// </summary>
internal sealed class BlobLeaseLock : IAsyncDisposable
{
    private static readonly TimeSpan s_minimumRetry = TimeSpan.FromSeconds(1);
    private readonly BlobLeaseClient _lease;
    private readonly string _resource;
    private readonly TimeSpan _period;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    private BlobLeaseLock(BlobLeaseClient lease, string resource, TimeSpan period, ILogger logger)
    {
        _lease = lease;
        _resource = resource;
        _period = period;
        _logger = logger;
        _renewal = Task.Run(RenewAsync);
    }

    /// <summary>The lease id, for writes to the leased blob.</summary>
    public string LeaseId => _lease.LeaseId;

    /// <summary>Fires when the lease is lost; work under it must stop.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Acquires a lease of <paramref name="period"/> (15–60 s) on <paramref name="blob"/>; null when someone else
    /// holds it. With <paramref name="createIfMissing"/> a missing blob is created empty first (its container must exist).
    /// </summary>
    public static async Task<BlobLeaseLock?> TryAcquireAsync(BlobClient blob, TimeSpan period, bool createIfMissing, ILogger logger, CancellationToken cancellationToken)
    {
        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(period, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 404 && createIfMissing)
        {
            try
            {
                await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException created) when (created.Status is 409 or 412)
            {
                // Another instance created it first (409), or created and leased it (412): both fine.
            }

            try
            {
                await lease.AcquireAsync(period, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException again) when (again.Status == 409)
            {
                return null;
            }
        }

        return new BlobLeaseLock(lease, blob.BlobContainerName + "/" + blob.Name, period, logger);
    }

    /// <summary>Stops renewing and releases the lease (unless lost) so another instance can take it at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _lease.ReleaseAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The lease expires on its own within one period. Any exception: once its retries are spent the
                // storage client throws an AggregateException, which used to escape here and stop the whole host.
                _logger.LeaseReleaseFailed(_resource, e.Message);
            }
        }

        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task RenewAsync()
    {
        TimeSpan interval = _period / 2;
        DateTimeOffset lastRenewed = DateTimeOffset.UtcNow;
        while (true)
        {
            try
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                lastRenewed = DateTimeOffset.UtcNow;
                interval = _period / 2;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // The lease expired and someone else took it, or the blob is gone: it is not ours any more.
                _logger.LeaseLost(_resource, e.Message);
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                // Transient: try again sooner (WebJobs' LinearSpeedupStrategy), until a whole period has passed.
                if (DateTimeOffset.UtcNow - lastRenewed >= _period)
                {
                    _logger.LeaseLost(_resource, e.Message);
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                _logger.LeaseRenewalFailed(_resource, e.Message);
                interval = interval / 2 > s_minimumRetry ? interval / 2 : s_minimumRetry;
            }
        }
    }
}
