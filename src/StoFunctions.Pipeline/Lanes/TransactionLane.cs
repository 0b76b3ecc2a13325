using System.Diagnostics;
using System.Globalization;
using Azure;
using Microsoft.Extensions.Logging;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Outages;
using StoFunctions.Pipeline.Signers;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>
/// The single writer of one (chain, sender): signs Planned rows, broadcasts Signed rows in nonce order with a
/// bounded in-flight window, reads receipts in JSON-RPC batches, confirms at depth K with a block-hash
/// re-check, rebroadcasts the same bytes, bumps fees, handles reorgs, reconciles <c>nonce too low</c> and fills
/// gaps (design/pipeline.md). It keeps an in-memory view of the open rows and rebuilds it from the ledger
/// after any failure, so the ledger alone is the durable state. Run it only while holding the lane's lease
/// (the lane runner does).
/// </summary>
public sealed partial class TransactionLane
{
    // A filler carries the filler tag (invariant 0), which costs more than a bare 21,000-gas transfer.
    private const ulong FillerGas = BusinessKeyTag.FillerGasLimit;

    private readonly LedgerTable _ledger;
    private readonly JsonRpcClient _rpc;
    private readonly ISigner _signer;
    private readonly LaneOptions _options;
    private readonly FaultInjector _faults;
    private readonly ILogger _logger;
    private readonly LedgerReconciler _reconciler;
    private Func<bool> _ownsLease;
    private readonly SortedDictionary<ulong, LaneEntry> _open = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private bool _loaded;
    private ulong _openFrom;
    private ETag _cursorETag;
    private ulong _nextUnseen;

    // Ledger writes this instance has made, and whether the last step made one or read a new row: a step that did
    // neither only waited for the chain, and the next one would repeat its reads.
    private long _writes;
    private bool _stepProgressed;

    // When the current step started: an attempt sent since is one this step sent.
    private DateTimeOffset _stepStarted;

    /// <summary>Creates the lane.</summary>
    /// <param name="lane">The chain and sender; the signer must sign for <see cref="LaneId.Sender"/>.</param>
    /// <param name="ledger">The ledger table.</param>
    /// <param name="rpc">The chain's JSON-RPC client.</param>
    /// <param name="signer">The signer of the sender.</param>
    /// <param name="options">Timings and fees.</param>
    /// <param name="faults">Crash points (tests); <see cref="FaultInjector.None"/> in production.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="ownsLease">Checked before every write; false stops the lane (invariant 4). Null: always true.</param>
    public TransactionLane(LaneId lane, LedgerTable ledger, JsonRpcClient rpc, ISigner signer, LaneOptions options, FaultInjector faults, ILogger logger, Func<bool>? ownsLease = null)
    {
        if (signer.Address != lane.Sender)
        {
            throw new PipelineException($"The signer signs for {signer.Address} but the lane sends from {lane.Sender}; configure the signer of that address.");
        }

        Lane = lane;
        _ledger = ledger;
        _rpc = rpc;
        _signer = signer;
        _options = options;
        _faults = faults;
        _logger = logger;
        _ownsLease = ownsLease ?? (() => true);
        _reconciler = new LedgerReconciler(ledger, rpc, logger, options);
    }

    /// <summary>The lane's chain and sender.</summary>
    public LaneId Lane { get; }

    /// <summary>The lease check run before every write (set by the lane runner).</summary>
    internal Func<bool> LeaseCheck
    {
        set => _ownsLease = value;
    }

    /// <summary>Number of open (non-terminal) transactions in the lane's view after the last step.</summary>
    public int OpenCount => _open.Count;

    /// <summary>
    /// The open view in one line per distinct condition (state and send flags, nonce range, count), for a test or an
    /// operator asking why a lane does not drain.
    /// </summary>
    internal string DescribeOpen() =>
        $"next unseen nonce {_nextUnseen}; " + (_open.Count == 0 ? "nothing open" : string.Join("; ", _open.Values
            .GroupBy(e => (e.Tx.State, e.MaybeSent, e.NeedsReconcile, e.BumpNow, e.Attempts.Count, Missed: e.ReconcileMisses > 0))
            .Select(g => $"{g.Key.State} x{g.Count()} at nonces {g.Min(e => e.Tx.Nonce)}..{g.Max(e => e.Tx.Nonce)} " +
                         $"(attempts {g.Key.Count}, maybeSent {g.Key.MaybeSent}, needsReconcile {g.Key.NeedsReconcile}, " +
                         $"reconcileMissed {g.Key.Missed}, bumpNow {g.Key.BumpNow}, next send {g.Max(e => e.NextSendAt):HH:mm:ss.fff})")));

    /// <summary>True when a <see cref="Wake"/> came that no step has waited for yet.</summary>
    public bool WakePending => _wake.CurrentCount > 0;

    /// <summary>Wakes the lane early (new work was allocated).</summary>
    public void Wake()
    {
        // Under load a wake is usually pending already (every submission wakes the lane), and releasing a full
        // semaphore throws: checking first keeps that exception for the rare race between two wakers.
        if (WakePending)
        {
            return;
        }

        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>
    /// Runs steps until cancelled: immediately again after a step that moved something (wrote to the ledger or read new
    /// rows), else after <see cref="LaneOptions.PollInterval"/> or a <see cref="Wake"/>. A failed step (any exception:
    /// storage or node unreachable, a conflict) rebuilds the view and is retried with a bounded, jittered backoff,
    /// logged once per outage; a deleted ledger table is created again. Only <see cref="SimulatedCrashException"/>,
    /// <see cref="LaneLeaseLostException"/> and cancellation end the run.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        RunSliceAsync(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Runs steps as <see cref="RunAsync"/> does, for one slice of a lane orchestration: until
    /// <paramref name="budget"/> has passed or nothing has been open for <paramref name="idleExit"/> (infinite: never).
    /// The view is read again from the ledger first, because another process may have run the lane since this one
    /// last did. Returns true while open transactions remain (the caller runs the next slice at once).
    /// </summary>
    public async Task<bool> RunSliceAsync(TimeSpan budget, TimeSpan idleExit, CancellationToken cancellationToken)
    {
        _loaded = false;
        _open.Clear();
        long started = Stopwatch.GetTimestamp();
        long idleSince = started;
        bool busy = true;
        var outage = new OutageBackoff($"Lane {Lane.PartitionKey}", _logger, _options.PollInterval, MaxStepBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                busy = await StepAsync(cancellationToken).ConfigureAwait(false);
                outage.Succeeded();
                // Again at once only after a step that moved something: one that found every open row still waiting
                // for the chain (a receipt, K confirmations: minutes on a chain of 12 s blocks) waits for the next
                // poll or a wake, instead of reading the cursor, the head and every open row's receipt in a loop.
                wait = busy && _stepProgressed && !WaitingAtFeeCap ? TimeSpan.FromMilliseconds(1) : _options.PollInterval;
            }
            catch (Exception e) when (e is not (SimulatedCrashException or LaneLeaseLostException) && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                busy = true;
                wait = outage.Failed(e);
                if (DependencyFailure.IsMissingResource(e))
                {
                    await RecreateLedgerAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            long now = Stopwatch.GetTimestamp();
            idleSince = busy ? now : idleSince;
            if (Over(budget, started, now) || (!busy && Over(idleExit, idleSince, now)))
            {
                return busy;
            }

            try
            {
                await _wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return busy;
            }
        }

        return busy;
    }

    private static bool Over(TimeSpan limit, long since, long now) =>
        limit != Timeout.InfiniteTimeSpan && Stopwatch.GetElapsedTime(since, now) >= limit;

    /// <summary>The longest wait between two steps while they fail; the lane resumes within it once storage and node answer.</summary>
    private static TimeSpan MaxStepBackoff => TimeSpan.FromSeconds(10);

    private async Task RecreateLedgerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _ledger.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.ResourceRecreated(_logger, $"Lane {Lane.PartitionKey}", "table " + _ledger.Table.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Still unreachable: the next failed step tries again.
        }
    }

    /// <summary>
    /// One sweep over the lane. Returns true while open transactions remain. Any exception leaves the ledger
    /// consistent (every write is ETag-guarded and atomic per group) and discards the in-memory view.
    /// </summary>
    public async Task<bool> StepAsync(CancellationToken cancellationToken = default)
    {
        long writes = _writes;
        ulong unseen = _nextUnseen;
        _stepProgressed = true;
        _stepStarted = DateTimeOffset.UtcNow;
        try
        {
            if (!_loaded)
            {
                await LoadAsync(cancellationToken).ConfigureAwait(false);
            }

            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (_open.Count == 0 && !await ChainBehindWhileIdleAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            ChainFacts facts = await ReadChainFactsAsync(cancellationToken).ConfigureAwait(false);
            if (await ReconcileIfChainAheadAsync(facts, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }


            // Changes that only record what the node said (sent, mined, confirmed) are collected over the step and
            // written once, one group per row, so a row sent and mined in the same step costs one write. Writes
            // that must precede a send (new attempts) are not deferred.
            var deferred = new List<LedgerWriteGroup>();
            await ReopenVanishedRowsAsync(facts, deferred, cancellationToken).ConfigureAwait(false);
            await SignAndBroadcastAsync(facts, deferred, cancellationToken).ConfigureAwait(false);
            await TrackReceiptsAsync(facts, deferred, cancellationToken).ConfigureAwait(false);
            await ResendOrBumpAsync(facts, deferred, cancellationToken).ConfigureAwait(false);
            await MineIfStalledAsync(facts, cancellationToken).ConfigureAwait(false);
            await WriteAndAdvanceCursorAsync([.. deferred.Select(WithoutSendTimesOfFinishedRow)], cancellationToken).ConfigureAwait(false);
            _stepProgressed = _writes != writes || _nextUnseen != unseen;
            return _open.Count > 0;
        }
        catch
        {
            _loaded = false;
            _open.Clear();
            throw;
        }
    }

    /// <summary>
    /// A row that reached a terminal state is written without its attempts' new send times: its receipt already
    /// proves the send, nothing reads those times for a finished row, and skipping them halves the write of a row
    /// sent and confirmed in one step (the attempt rows keep their bytes, hash and fees).
    /// </summary>
    private static LedgerWriteGroup WithoutSendTimesOfFinishedRow(LedgerWriteGroup group) =>
        group.Transaction is { } tx && TransactionStates.IsTerminal(tx.State) && group.ChangedAttempts.Count > 0
            ? group with { ChangedAttempts = [] }
            : group;

    private void EnsureLease()
    {
        if (!_ownsLease())
        {
            Log.LeaseLost(_logger, Lane.PartitionKey);
            throw new LaneLeaseLostException(Lane);
        }
    }

    private Task WriteAsync(IReadOnlyList<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return Task.CompletedTask;
        }

        EnsureLease();
        _writes++;
        return _ledger.WriteAsync(Lane, groups, cancellationToken);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _open.Clear();
        (ulong openFrom, ETag etag) = await _ledger.GetCursorAsync(Lane, cancellationToken).ConfigureAwait(false);
        if (etag == default)
        {
            LedgerAccount? account = await _ledger.GetAccountAsync(Lane, cancellationToken).ConfigureAwait(false);
            openFrom = account?.FirstNonce ?? 0;
        }

        _openFrom = openFrom;
        _cursorETag = etag;
        _nextUnseen = openFrom;
        _loaded = true;
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        Log.LaneLoaded(_logger, Lane.PartitionKey, _open.Count, _openFrom);
    }

    /// <summary>
    /// Reads rows allocated since the last look; nonces without a row (gaps) that the chain has consumed are rebuilt
    /// from it, the others are filled with no-ops.
    /// </summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        List<LedgerTransaction> rows = await _ledger.GetTransactionsAsync(Lane, _nextUnseen, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return;
        }

        if (FirstGap(rows) is ulong gap)
        {
            // Invariant 0: a nonce without a row below the chain's count was consumed by a transaction whose row the
            // ledger lost (storage emptied while the lane ran, its cursor with it, so it reloads from the first nonce).
            // A no-op for it could never be mined and its business key would stay unrecorded: a retry would plan that
            // key again above the chain's nonce and pay it twice. Reconciliation rebuilds such nonces from the chain
            // (row and business key); a gap still below the chain's pending count (a transaction in the pool, which
            // can be read back only once mined) fails the step; only nonces the chain has not reached get fillers.
            EnsureLease();
            (ulong pending, int written) = await _reconciler.ReconcileAsync(Lane, gap, cancellationToken).ConfigureAwait(false);
            if (written > 0)
            {
                _writes += written;
                rows = await _ledger.GetTransactionsAsync(Lane, _nextUnseen, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (FirstGap(rows) is ulong left && left < pending)
            {
                throw new LedgerBehindChainException(Lane, left, pending, string.Create(CultureInfo.InvariantCulture, $"nonce {left} has no ledger row though the chain has a transaction at it (mined, or still in the pool); it is rebuilt from the chain once mined"));
            }
        }

        // Attempt rows are written in the same entity-group transaction as their row's Attempts count, so rows that
        // count none have none (the usual case: freshly planned rows) and the second query is skipped.
        Dictionary<ulong, List<LedgerAttempt>> attempts = rows.Any(r => r.Attempts > 0)
            ? await _ledger.GetAttemptsAsync(Lane, _nextUnseen, cancellationToken: cancellationToken).ConfigureAwait(false)
            : [];
        ulong expected = _nextUnseen;
        foreach (LedgerTransaction row in rows)
        {
            for (; expected < row.Nonce; expected++)
            {
                await AddGapFillerAsync(expected, cancellationToken).ConfigureAwait(false);
            }

            if (!TransactionStates.IsTerminal(row.State))
            {
                _open[row.Nonce] = new LaneEntry(row, attempts.GetValueOrDefault(row.Nonce) ?? []);
            }

            expected = row.Nonce + 1;
        }

        _nextUnseen = expected;
    }

    private ulong? FirstGap(List<LedgerTransaction> rows)
    {
        ulong expected = _nextUnseen;
        foreach (LedgerTransaction row in rows)
        {
            if (row.Nonce > expected)
            {
                return expected;
            }

            expected = row.Nonce + 1;
        }

        return null;
    }

    private async Task AddGapFillerAsync(ulong nonce, CancellationToken cancellationToken)
    {
        Log.GapFilled(_logger, Lane.PartitionKey, nonce);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var filler = new LedgerTransaction
        {
            Nonce = nonce,
            State = TransactionState.Planned,
            To = Lane.Sender,
            Data = BusinessKeyTag.Filler(),
            GasLimit = FillerGas,
            Note = "no-op filler for a nonce without ledger row",
            IsFiller = true,
            CreatedTime = now,
            UpdatedTime = now,
        };
        EnsureLease();
        _writes++;
        try
        {
            Response response = await _ledger.Table.AddEntityAsync(LedgerRows.ToEntity(Lane, filler), cancellationToken).ConfigureAwait(false);
            filler.ETag = response.Headers.ETag ?? default;
            _open[nonce] = new LaneEntry(filler, []);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new PipelineException($"Nonce {nonce} of lane {Lane} got a row while the lane was filling it; another writer is active. The lane reloads.", e);
        }
    }

    /// <summary>Writes the step's deferred changes and moves the cursor past the rows that are now terminal.</summary>
    private async Task WriteAndAdvanceCursorAsync(IReadOnlyList<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        foreach (ulong nonce in _open.Where(p => TransactionStates.IsTerminal(p.Value.Tx.State)).Select(p => p.Key).ToList())
        {
            _open.Remove(nonce);
        }

        ulong openFrom = _open.Count > 0 ? _open.Keys.First() : _nextUnseen;
        if (openFrom == _openFrom)
        {
            await WriteAsync(groups, cancellationToken).ConfigureAwait(false);
            return;
        }

        EnsureLease();
        _writes++;
        _cursorETag = await _ledger.WriteAsync(Lane, groups, openFrom, _cursorETag, cancellationToken).ConfigureAwait(false);
        _openFrom = openFrom;
    }

    private async Task<ChainFacts> ReadChainFactsAsync(CancellationToken cancellationToken)
    {
        JsonRpcBatch batch = _rpc.CreateBatch();
        Task<BlockHeader?> head = batch.Add<BlockHeader>("eth_getBlockByNumber", BlockParameter.Latest, false);
        Task<UInt256> tip = batch.Add<UInt256>("eth_maxPriorityFeePerGas");
        Task<ulong> latestNonce = batch.Add<ulong>("eth_getTransactionCount", Lane.Sender, BlockParameter.Latest);
        await batch.SendAsync(cancellationToken).ConfigureAwait(false);
        BlockHeader block = await head.ConfigureAwait(false) ?? throw new PipelineException("The node returned no latest block.");
        return new ChainFacts(block.Number, block.BaseFeePerGas ?? UInt256.Zero, await tip.ConfigureAwait(false), await latestNonce.ConfigureAwait(false));
    }

    private readonly record struct ChainFacts(ulong Head, UInt256 BaseFee, UInt256 MarketTip, ulong LatestNonce);
}
