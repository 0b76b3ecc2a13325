using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Logging;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Outages;

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
    private readonly SemaphoreSlim _sliceGate = new(1, 1);
    private BlobLeaseClient? _sliceLease;
    private bool _sliceBlobReady;
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
    /// starts over when the lease is lost. Any storage failure (whatever the client throws once its own retries
    /// are spent) is logged once per outage and retried with a bounded, jittered backoff; a missing container or
    /// lease blob is created again. Returns only when cancelled; a <see cref="SimulatedCrashException"/> propagates.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var outage = new OutageBackoff($"Lane {_lane.Lane.PartitionKey} lease", _logger, TimeSpan.FromMilliseconds(500), MaxBackoff);
        bool blobReady = false;
        BlobClient blob = _leases.GetBlobClient(_lane.Lane.PartitionKey);
        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!blobReady)
                {
                    await CreateLeaseBlobAsync(blob, cancellationToken).ConfigureAwait(false);
                    blobReady = true;
                }

                if (!await TryAcquireAsync(lease, cancellationToken).ConfigureAwait(false))
                {
                    outage.Succeeded();
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                outage.Succeeded();
                await RunLeasedAsync(lease, _lane.RunAsync, releaseAfter: false, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not SimulatedCrashException)
            {
                // Not only RequestFailedException: once the Azure pipeline's retries are spent it throws an
                // AggregateException, and its network timeout a TaskCanceledException; either used to end the lane.
                blobReady &= !IsMissing(e);
                TimeSpan delay = outage.Failed(e);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>True while a slice (<see cref="RunSliceAsync"/>) runs in this process.</summary>
    public bool SliceRunning => _sliceGate.CurrentCount == 0;

    /// <summary>
    /// Runs one slice of the lane for a lane orchestration: takes the lease (once; held by another process →
    /// <see cref="LaneSliceOutcome.HeldElsewhere"/>), runs <see cref="TransactionLane.RunSliceAsync"/> under it
    /// and releases it, so the next slice may run in any process without waiting for the lease to expire. Storage
    /// that does not answer → <see cref="LaneSliceOutcome.Failed"/> (the orchestration waits and runs another
    /// slice). A <see cref="SimulatedCrashException"/> propagates.
    /// </summary>
    /// <param name="budget">The longest the slice runs (keep it well below the activity's redelivery timeout).</param>
    /// <param name="idleExit">How long the slice stays once nothing is open, for work submitted meanwhile.</param>
    /// <param name="cancellationToken">Ends the slice (host shutdown).</param>
    public async Task<LaneSliceOutcome> RunSliceAsync(TimeSpan budget, TimeSpan idleExit, CancellationToken cancellationToken)
    {
        // A redelivered slice activity can meet the one still running here; the lease would refuse it anyway.
        if (!await _sliceGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return LaneSliceOutcome.HeldElsewhere;
        }

        LaneSliceOutcome outcome;
        try
        {
            outcome = await RunGatedSliceAsync(budget, idleExit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sliceGate.Release();
        }

        // A wake that came while this slice was ending saw it still running, so it raised no event: run another slice
        // now rather than leave that work to the idle wait.
        return outcome == LaneSliceOutcome.Idle && _lane.WakePending ? LaneSliceOutcome.Busy : outcome;
    }

    private async Task<LaneSliceOutcome> RunGatedSliceAsync(TimeSpan budget, TimeSpan idleExit, CancellationToken cancellationToken)
    {
        BlobClient blob = _leases.GetBlobClient(_lane.Lane.PartitionKey);
        _sliceLease ??= blob.GetBlobLeaseClient();
        try
        {
            if (!_sliceBlobReady)
            {
                await CreateLeaseBlobAsync(blob, cancellationToken).ConfigureAwait(false);
                _sliceBlobReady = true;
            }

            if (!await TryAcquireAsync(_sliceLease, cancellationToken).ConfigureAwait(false))
            {
                return LaneSliceOutcome.HeldElsewhere;
            }
        }
        catch (Exception e) when (e is not SimulatedCrashException && !cancellationToken.IsCancellationRequested)
        {
            _sliceBlobReady &= !IsMissing(e);
            Log.LaneSliceLeaseUnavailable(_logger, _lane.Lane.PartitionKey, DependencyFailure.Describe(e));
            return LaneSliceOutcome.Failed;
        }

        bool busy = true;
        await RunLeasedAsync(_sliceLease, async token => busy = await _lane.RunSliceAsync(budget, idleExit, token).ConfigureAwait(false), releaseAfter: true, cancellationToken).ConfigureAwait(false);
        return busy ? LaneSliceOutcome.Busy : LaneSliceOutcome.Idle;
    }

    /// <summary>The longest wait between two attempts to reach the lease blob during an outage.</summary>
    private static TimeSpan MaxBackoff => TimeSpan.FromSeconds(10);

    private static bool IsMissing(Exception e) =>
        DependencyFailure.IsMissingResource(e) || e is RequestFailedException { Status: 404 };

    private async Task CreateLeaseBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        await _leases.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(""), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }
    }

    private async Task<bool> TryAcquireAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        try
        {
            // The same proposed id every time: after an outage our own unexpired lease is simply re-acquired.
            await lease.AcquireAsync(_leaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    private async Task RunLeasedAsync(BlobLeaseClient lease, Func<CancellationToken, Task> run, bool releaseAfter, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _renewedTimestamp, Stopwatch.GetTimestamp());
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task renewal = RenewAsync(lease, running);
        try
        {
            await run(running.Token).ConfigureAwait(false);
        }
        catch (LaneLeaseLostException)
        {
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The renewal gave the lease up; the caller acquires it again.
        }
        finally
        {
            await running.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            Interlocked.Exchange(ref _renewedTimestamp, 0);
        }

        if (releaseAfter || cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await lease.ReleaseAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not SimulatedCrashException)
            {
                // The lease expires on its own within its duration.
            }
        }
    }

    /// <summary>
    /// Renews every third of the lease. A refusal (409/412: another holder; 404: the blob is gone) loses the lease at
    /// once; any other failure is retried every second until the lease is too old to write under, and only then
    /// stops the lane, so a short outage does not cost the lease. Never throws.
    /// </summary>
    private async Task RenewAsync(BlobLeaseClient lease, CancellationTokenSource running)
    {
        TimeSpan interval = _leaseDuration / 3;
        while (!running.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, running.Token).ConfigureAwait(false);
                await lease.RenewAsync(cancellationToken: running.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref _renewedTimestamp, Stopwatch.GetTimestamp());
                interval = _leaseDuration / 3;
            }
            catch (OperationCanceledException) when (running.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                Log.LeaseLost(_logger, _lane.Lane.PartitionKey);
                await StopLaneAsync(running).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                if (!HoldsLease)
                {
                    long renewed = Interlocked.Read(ref _renewedTimestamp);
                    Log.LeaseRenewalFailing(_logger, _lane.Lane.PartitionKey, renewed == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(renewed), DependencyFailure.Describe(e));
                    await StopLaneAsync(running).ConfigureAwait(false);
                    return;
                }

                interval = TimeSpan.FromSeconds(1);
            }
        }
    }

    private async Task StopLaneAsync(CancellationTokenSource running)
    {
        Interlocked.Exchange(ref _renewedTimestamp, 0);
        try
        {
            await running.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
