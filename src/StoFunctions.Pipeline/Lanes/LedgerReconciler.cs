using System.Globalization;
using Azure;
using Microsoft.Extensions.Logging;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>
/// Invariant 0, the chain is the final authority: when a sender's chain nonce is ahead of what the ledger knows (a
/// restored backup, a deleted table, a second deployment on the same key), reads the unknown transactions back
/// from the chain and rebuilds their ledger rows and, from their business-key tags, their idempotency rows, before
/// anything new is planned or sent. A re-plan of those business keys then finds their rows and adopts the nonces.
/// </summary>
/// <remarks>
/// Ethereum has no standard RPC for "transaction of sender at nonce", so blocks are scanned backwards from the head
/// with batched <c>eth_getBlockByNumber</c> (full transactions), stopping when every gap nonce is found, when the
/// sender's transactions go below the gap, or at the lower bound: the block of the ledger's last known transaction
/// below the gap, or the head minus <see cref="LaneOptions.ReconcileLookbackBlocks"/> when the ledger knows none.
/// Writes are insert-only rows plus the ETag-guarded account row in one entity-group transaction per chunk, in
/// nonce order, so two instances reconciling at once cannot both write, and a crash leaves a prefix that the next
/// run completes.
/// </remarks>
public sealed class LedgerReconciler
{
    private const int BlocksPerBatch = 50;
    private const int ReceiptsPerBatch = 200;

    // account row + (transaction row + idempotency row) per nonce ≤ 100 actions.
    private const int RowsPerBatch = (StorageLimits.MaxTransactionActions - 1) / 2;

    private readonly LedgerTable _ledger;
    private readonly JsonRpcClient _rpc;
    private readonly ILogger _logger;
    private readonly int _confirmations;
    private readonly ulong _lookbackBlocks;
    private readonly TimeSpan _pendingWait;
    private readonly Lock _gate = new();
    private readonly Dictionary<LaneId, LaneRuns> _runs = [];

    /// <summary>Creates the reconciler.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="rpc">The chain.</param>
    /// <param name="logger">Logger (alerts for foreign and missing transactions).</param>
    /// <param name="options">K (recovered rows shallower than K are written Mined for the lane to confirm) and the lookback.</param>
    public LedgerReconciler(LedgerTable ledger, JsonRpcClient rpc, ILogger logger, LaneOptions options)
    {
        _ledger = ledger;
        _rpc = rpc;
        _logger = logger;
        _confirmations = options.Confirmations;
        _lookbackBlocks = options.ReconcileLookbackBlocks;
        _pendingWait = options.ReconcilePendingWait;
    }

    /// <summary>
    /// Reconciles the lane if the chain is ahead of the ledger and returns the chain's pending transaction count
    /// (the allocation floor). The run a caller gets starts after its call: callers arriving while a run is under
    /// way share the next one, which starts when that run ends.
    /// </summary>
    /// <remarks>
    /// A run already under way may have read rows that were lost after its reads (a table emptied entity by entity
    /// while the app runs); a caller that joined it would plan against rows the run believed present, and pay their
    /// keys again.
    /// </remarks>
    /// <exception cref="LedgerBehindChainException">Unknown transactions of the sender are still pending (not mined), so they cannot be read back yet; retry.</exception>
    public Task<ulong> EnsureReconciledAsync(LaneId lane, CancellationToken cancellationToken = default)
    {
        Task<ulong> shared;
        lock (_gate)
        {
            if (!_runs.TryGetValue(lane, out LaneRuns? runs))
            {
                _runs[lane] = runs = new LaneRuns();
            }

            shared = runs.Queued ??= RunNextAsync(lane, runs, runs.Running);
        }

        return shared.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Rebuilds from the chain the rows of command <paramref name="commandId"/>'s nonces from
    /// <paramref name="firstMissing"/> that have none (rows lost while the command row survived: a partial restore,
    /// a table emptied while the app ran). Nonces the chain has not consumed cannot be read back and stay missing.
    /// Best effort, for a status read, which reads the rows again afterwards: a failure is logged and the next read
    /// tries again.
    /// </summary>
    public async Task RepairAsync(LaneId lane, string commandId, int missing, ulong firstMissing, CancellationToken cancellationToken)
    {
        Log.CommandRowsMissing(_logger, lane.PartitionKey, commandId, missing, firstMissing);
        try
        {
            await ReconcileAsync(lane, firstMissing, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CommandRowsRepairFailed(_logger, lane.PartitionKey, commandId, e);
        }
    }

    /// <summary>
    /// Reconciles nonces from min(<paramref name="knownNext"/>, ledger next) up to the chain's latest count when the
    /// chain is ahead of either; returns the chain's pending count and how many rows were written.
    /// </summary>
    internal async Task<(ulong ChainPending, int Written)> ReconcileAsync(LaneId lane, ulong? knownNext, CancellationToken cancellationToken)
    {
        DateTime waitUntil = DateTime.UtcNow + _pendingWait;
        for (int round = 0; ; round++)
        {
            LedgerAccount? account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
            JsonRpcBatch batch = _rpc.CreateBatch();
            Task<ulong> latestTask = batch.Add<ulong>("eth_getTransactionCount", lane.Sender, BlockParameter.Latest);
            Task<ulong> pendingTask = batch.Add<ulong>("eth_getTransactionCount", lane.Sender, BlockParameter.Pending);
            Task<ulong> headTask = batch.Add<ulong>("eth_blockNumber");
            await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            ulong latest = await latestTask.ConfigureAwait(false);
            ulong pending = Math.Max(await pendingTask.ConfigureAwait(false), latest);
            ulong head = await headTask.ConfigureAwait(false);
            ulong ledgerNext = account?.NextNonce ?? 0;
            ulong from = knownNext is ulong k ? Math.Min(k, ledgerNext) : ledgerNext;
            bool rowsLost = ledgerNext > 0 && await _ledger.TryGetAsync(lane.PartitionKey, LedgerRows.TransactionRow(ledgerNext - 1), cancellationToken).ConfigureAwait(false) is null;
            if (rowsLost)
            {
                // Every allocation writes the account row with its transaction rows in one entity-group transaction,
                // so the row of the account's last nonce always exists — unless rows were lost while the account row
                // survived or was rebuilt (a table emptied entity by entity while the app ran and reconciled in the
                // middle, a partial restore). Comparing nonces cannot see that, and business keys whose rows are gone
                // would be planned again: rebuild every nonce the account counts.
                Log.ReconcileRowsLost(_logger, lane.PartitionKey, ledgerNext - 1);
                from = 0;
            }
            else if (pending <= ledgerNext && latest <= from)
            {
                return (pending, 0);
            }

            if (latest < pending && pending > ledgerNext)
            {
                // Unknown transactions still in the pool cannot be read from blocks: wait for them to be mined.
                if (DateTime.UtcNow > waitUntil)
                {
                    throw new LedgerBehindChainException(lane, ledgerNext, pending, string.Create(CultureInfo.InvariantCulture, $"{pending - latest} of the unknown transactions are not mined yet"));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (round > 20)
            {
                throw new LedgerBehindChainException(lane, ledgerNext, pending, $"reconciliation met concurrent writers {round} times");
            }

            if (await RecoverAsync(lane, account, from, latest, head, cancellationToken).ConfigureAwait(false) is int rows)
            {
                return (pending, rows);
            }
        }
    }

    private async Task<ulong> RunNextAsync(LaneId lane, LaneRuns runs, Task<ulong>? previous)
    {
        // Off the caller's thread first: the caller assigns this task to runs.Queued under the lock after this returns.
        await Task.Yield();
        if (previous is not null)
        {
            // Its outcome is its callers'; this run only has to start after it.
            await previous.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }

        Task<ulong> self;
        lock (_gate)
        {
            self = runs.Queued!;
            runs.Queued = null;
            runs.Running = self;
        }

        try
        {
            return (await ReconcileAsync(lane, null, CancellationToken.None).ConfigureAwait(false)).ChainPending;
        }
        finally
        {
            lock (_gate)
            {
                if (runs.Running == self)
                {
                    runs.Running = null;
                }
            }
        }
    }

    /// <summary>Rebuilds the rows of the nonces in [from, to) that have none; null when another writer interfered (re-read and retry).</summary>
    private async Task<int?> RecoverAsync(LaneId lane, LedgerAccount? account, ulong from, ulong to, ulong head, CancellationToken cancellationToken)
    {
        var existing = new HashSet<ulong>();
        ulong? lowerBlock = null;
        ulong below = from >= 16 ? from - 16 : 0;
        if (to > below)
        {
            foreach (LedgerTransaction row in await _ledger.GetTransactionsAsync(lane, below, to - 1, cancellationToken).ConfigureAwait(false))
            {
                if (row.Nonce >= from)
                {
                    existing.Add(row.Nonce);
                }
                else if (row.BlockNumber is ulong block)
                {
                    lowerBlock = Math.Max(lowerBlock ?? 0, block);
                }
            }
        }

        var wanted = new HashSet<ulong>();
        for (ulong nonce = from; nonce < to; nonce++)
        {
            if (!existing.Contains(nonce))
            {
                wanted.Add(nonce);
            }
        }

        if (wanted.Count == 0)
        {
            return await AdvanceAccountAsync(lane, account, to, cancellationToken).ConfigureAwait(false) ? 0 : null;
        }

        ulong lowest = Math.Min(head, lowerBlock ?? (head > _lookbackBlocks ? head - _lookbackBlocks : 0));
        string blocks = string.Create(CultureInfo.InvariantCulture, $"{lowest}–{head}");
        Log.ReconcileStarted(_logger, lane.PartitionKey, to, account?.NextNonce ?? 0, from, to - 1);
        Dictionary<ulong, RpcTransaction> found = await ScanAsync(lane.Sender, wanted, head, lowest, cancellationToken).ConfigureAwait(false);
        if (account is null && found.Count < wanted.Count)
        {
            // A new ledger on a key with older history: what lies before the lookback predates this ledger.
            ulong firstFound = found.Count > 0 ? found.Keys.Min() : to;
            if (firstFound > from)
            {
                Log.ReconcileHistoryBeforeLookback(_logger, lane.PartitionKey, firstFound, blocks);
                wanted.RemoveWhere(n => n < firstFound);
                from = firstFound;
            }
        }

        Dictionary<ulong, (RpcTransaction, TransactionReceipt)> mined = await ReceiptsAsync(found.Values, cancellationToken).ConfigureAwait(false);
        List<RecoveredRow> rows = [.. GapRecovery.Rows(lane.Sender, from, to, mined, head, _confirmations, blocks, DateTimeOffset.UtcNow).Where(r => wanted.Contains(r.Row.Nonce))];
        foreach (RecoveredRow r in rows.Where(r => r.Row.State == TransactionState.NonceConsumedExternally))
        {
            if (r.Row.MinedHash is Hash32 hash)
            {
                Log.ReconciledForeign(_logger, lane.PartitionKey, r.Row.Nonce, hash.ToString());
            }
            else
            {
                Log.ReconciledMissing(_logger, lane.PartitionKey, r.Row.Nonce, blocks);
            }
        }

        LedgerAccount? current = account;
        foreach (RecoveredRow[] chunk in rows.Chunk(RowsPerBatch))
        {
            current = await WriteChunkAsync(lane, current, from, chunk, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }
        }

        if (!await AdvanceAccountAsync(lane, current, to, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        Log.Reconciled(_logger, lane.PartitionKey, rows.Count, from, to - 1,
            rows.Count(r => r.KeyHash is not null),
            rows.Count(r => r.Row.IsFiller && r.Row.State != TransactionState.NonceConsumedExternally),
            rows.Count(r => r.Row.State == TransactionState.NonceConsumedExternally && r.Row.MinedHash is not null),
            rows.Count(r => r.Row.State == TransactionState.NonceConsumedExternally && r.Row.MinedHash is null),
            blocks);
        return rows.Count;
    }

    /// <summary>
    /// The transaction of <paramref name="sender"/> with <paramref name="nonce"/>, found by scanning blocks back from
    /// <paramref name="head"/> (at most the configured lookback), or null. Needs no state of old blocks, so it also
    /// works on a pruned node, where a search by historical <c>eth_getTransactionCount</c> is refused.
    /// </summary>
    internal async Task<RpcTransaction?> FindBySenderAndNonceAsync(Address sender, ulong nonce, ulong head, CancellationToken cancellationToken) =>
        (await ScanAsync(sender, [nonce], head, head > _lookbackBlocks ? head - _lookbackBlocks : 0, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(nonce);

    /// <summary>The sender's transactions with the wanted nonces, scanning blocks from <paramref name="head"/> down to <paramref name="lowest"/>.</summary>
    private async Task<Dictionary<ulong, RpcTransaction>> ScanAsync(Address sender, HashSet<ulong> wanted, ulong head, ulong lowest, CancellationToken cancellationToken)
    {
        var found = new Dictionary<ulong, RpcTransaction>();
        ulong minWanted = wanted.Min();
        ulong top = head;
        while (true)
        {
            ulong bottom = top - lowest >= BlocksPerBatch - 1 ? top - (BlocksPerBatch - 1) : lowest;
            JsonRpcBatch batch = _rpc.CreateBatch();
            var blocks = new List<Task<BlockWithTransactions?>>();
            for (ulong n = top; ; n--)
            {
                blocks.Add(batch.Add<BlockWithTransactions>("eth_getBlockByNumber", BlockParameter.FromNumber(n), true));
                if (n == bottom)
                {
                    break;
                }
            }

            await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            bool passedBelow = false;
            foreach (Task<BlockWithTransactions?> task in blocks)
            {
                foreach (RpcTransaction tx in (await task.ConfigureAwait(false))?.Transactions ?? [])
                {
                    if (tx.From != sender)
                    {
                        continue;
                    }

                    if (wanted.Contains(tx.Nonce))
                    {
                        found[tx.Nonce] = tx;
                    }
                    else if (tx.Nonce < minWanted)
                    {
                        passedBelow = true;
                    }
                }
            }

            if (found.Count == wanted.Count || passedBelow || bottom == lowest)
            {
                return found;
            }

            top = bottom - 1;
        }
    }

    private async Task<Dictionary<ulong, (RpcTransaction, TransactionReceipt)>> ReceiptsAsync(IEnumerable<RpcTransaction> transactions, CancellationToken cancellationToken)
    {
        var result = new Dictionary<ulong, (RpcTransaction, TransactionReceipt)>();
        foreach (RpcTransaction[] chunk in transactions.Chunk(ReceiptsPerBatch))
        {
            JsonRpcBatch batch = _rpc.CreateBatch();
            Task<TransactionReceipt?>[] receipts = [.. chunk.Select(t => batch.Add<TransactionReceipt>("eth_getTransactionReceipt", t.Hash))];
            await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < chunk.Length; i++)
            {
                // A transaction found in a block without a receipt means the block was just reorged out: leave the
                // nonce out and let the next run find it again.
                if (await receipts[i].ConfigureAwait(false) is { } receipt)
                {
                    result[chunk[i].Nonce] = (chunk[i], receipt);
                }
            }
        }

        return result;
    }

    /// <summary>Writes one chunk of recovered rows with the account row; returns the account as written, or null on a conflict.</summary>
    private async Task<LedgerAccount?> WriteChunkAsync(LaneId lane, LedgerAccount? account, ulong from, RecoveredRow[] chunk, CancellationToken cancellationToken)
    {
        var skipKeys = new HashSet<ulong>();
        while (true)
        {
            var updated = new LedgerAccount
            {
                NextNonce = Math.Max(account?.NextNonce ?? 0, chunk[^1].Row.Nonce + 1),
                FirstNonce = account?.FirstNonce ?? from,
                OpenFrom = account?.OpenFrom ?? 0,
                Restarts = account?.Restarts ?? 0,
            };
            var actions = new List<TableTransactionAction> { AccountAction(lane, account, updated) };
            var keyActions = new Dictionary<int, RecoveredRow>();
            foreach (RecoveredRow r in chunk)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LedgerRows.ToEntity(lane, r.Row)));
                if (r.KeyHash is { } hash && !skipKeys.Contains(r.Row.Nonce))
                {
                    keyActions[actions.Count] = r;
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LedgerRows.RecoveredKeyRow(lane, hash, r.Row.Nonce)));
                }
            }

            try
            {
                IReadOnlyList<ETag> etags = [.. (await _ledger.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false)).Value.Select(r => r.Headers.ETag.GetValueOrDefault())];
                updated.ETag = etags[0];
                return updated;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int failed && keyActions.TryGetValue(failed, out RecoveredRow? r))
            {
                // The key already holds a row (it survived the loss, or a planner got there first): keep that mapping.
                Log.ReconciledKeyRowExists(_logger, lane.PartitionKey, r.Row.Nonce, CommandKeys.BusinessKeyRowOf(r.KeyHash!));
                skipKeys.Add(r.Row.Nonce);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return null;
            }
        }
    }

    /// <summary>Moves the account's next nonce up to <paramref name="next"/> (never down); false on a conflict.</summary>
    private async Task<bool> AdvanceAccountAsync(LaneId lane, LedgerAccount? account, ulong next, CancellationToken cancellationToken)
    {
        if (account is not null && account.NextNonce >= next)
        {
            return true;
        }

        var updated = new LedgerAccount
        {
            NextNonce = next,
            FirstNonce = account?.FirstNonce ?? next,
            OpenFrom = account?.OpenFrom ?? 0,
            Restarts = account?.Restarts ?? 0,
        };
        try
        {
            await _ledger.Table.SubmitTransactionAsync([AccountAction(lane, account, updated)], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private static TableTransactionAction AccountAction(LaneId lane, LedgerAccount? read, LedgerAccount updated)
    {
        TableEntity entity = LedgerRows.ToEntity(lane, updated);
        return read is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, read.ETag);
    }

    /// <summary>The lane's run under way and the run queued behind it, which later callers share.</summary>
    private sealed class LaneRuns
    {
        public Task<ulong>? Running { get; set; }

        public Task<ulong>? Queued { get; set; }
    }
}
