using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Logging;
using StoFunctions.Azure.Storage.Blobs;
using StoFunctions.Pipeline.Faults;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>
/// Runs one lane while holding its blob lease (<c>{container}/{chainId}-{sender}</c>), so at most one instance
/// processes a (chain, sender) at a time (invariant 4). The lease is renewed every third of its duration; the
/// lane checks before every write that the last renewal is younger than the lease minus a safety margin, so a
/// lost lease stops the lane before its next write, even if the renewal loop is starved.
/// </summary>
public sealed class LaneRunner
{
    private readonly TransactionLane _lane;
    private readonly BlobContainerClient _leases;
    private readonly ILogger _logger;
    private readonly TimeSpan _leaseDuration;
    private long _renewedTimestamp;

    /// <summary>Creates the runner.</summary>
    /// <param name="lane">The lane to run.</param>
    /// <param name="leases">The container holding one lease blob per lane (created if needed).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="leaseDuration">15–60 s; default 30 s.</param>
    public LaneRunner(TransactionLane lane, BlobContainerClient leases, ILogger logger, TimeSpan? leaseDuration = null)
    {
        _lane = lane;
        _leases = leases;
        _logger = logger;
        _leaseDuration = leaseDuration ?? TimeSpan.FromSeconds(30);
        _lane.LeaseCheck = () => HoldsLease;
    }

    /// <summary>The lane.</summary>
    public TransactionLane Lane => _lane;

    /// <summary>True while this runner's lease is fresh enough to write.</summary>
    public bool HoldsLease
    {
        get
        {
            long renewed = Interlocked.Read(ref _renewedTimestamp);
            return renewed != 0 && Stopwatch.GetElapsedTime(renewed) < _leaseDuration - TimeSpan.FromSeconds(5);
        }
    }

    /// <summary>
    /// Acquires the lease (retrying while another instance holds it), runs the lane, renews the lease, and
    /// starts over when the lease is lost. Returns when cancelled; a <see cref="SimulatedCrashException"/> propagates.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunLeasedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunLeasedAsync(CancellationToken cancellationToken)
    {
        await _leases.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        BlobClient blob = _leases.GetBlobClient(_lane.Lane.PartitionKey);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(""), new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }

        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await lease.AcquireAsync(_leaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                continue;
            }

            Interlocked.Exchange(ref _renewedTimestamp, Stopwatch.GetTimestamp());
            using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task renewal = RenewAsync(lease, running);
            try
            {
                await _lane.RunAsync(running.Token).ConfigureAwait(false);
            }
            catch (LaneLeaseLostException)
            {
            }
            finally
            {
                await running.CancelAsync().ConfigureAwait(false);
                await renewal.ConfigureAwait(false);
                Interlocked.Exchange(ref _renewedTimestamp, 0);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (RequestFailedException)
                {
                }
            }
        }
    }

    private async Task RenewAsync(BlobLeaseClient lease, CancellationTokenSource running)
    {
        while (!running.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_leaseDuration / 3, running.Token).ConfigureAwait(false);
                await lease.RenewAsync(running.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref _renewedTimestamp, Stopwatch.GetTimestamp());
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RequestFailedException)
            {
                Log.LeaseLost(_logger, _lane.Lane.PartitionKey);
                Interlocked.Exchange(ref _renewedTimestamp, 0);
                await running.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
