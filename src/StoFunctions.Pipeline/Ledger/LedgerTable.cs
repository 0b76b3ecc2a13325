using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;

using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// The ledger in Table Storage: one partition per lane holding the account row, the lane cursor, one row per
/// nonce, one row per attempt and one idempotency row per business key (architecture.md "Data in Azure
/// Storage"). Every change of a row the lane owns is guarded by the row's ETag.
/// </summary>
public sealed class LedgerTable
{
    /// <summary>How many entity-group transactions <see cref="WriteAsync(LaneId, IReadOnlyList{LedgerWriteGroup}, CancellationToken)"/> submits at once.</summary>
    public const int MaxConcurrentBatches = 4;

    internal const string LaneRow = "lane";

    // Up to this many of the lane's rows per key looked up, one range query beats point reads (a page carries
    // 1,000 rows, a key that holds no nonce costs two reads).
    private const ulong ScanRowsPerKey = 4;

    // Up to this many keys, choosing between a query and point reads would cost as much as the point reads.
    private const int FewKeys = 4;

    private const int ParallelPointReads = 16;

    /// <summary>Creates the ledger over <paramref name="table"/> (create it with <see cref="CreateIfNotExistsAsync"/>).</summary>
    public LedgerTable(TableClient table)
    {
        Table = table;
        _legacyKeyRows = new LegacyKeyRows(table);
    }

    private readonly LegacyKeyRows _legacyKeyRows;

    /// <summary>Whether the lane may hold pre-tag idempotency rows, once this instance has looked (see <see cref="LegacyKeyRows"/>).</summary>
    internal Task<bool> LegacyKeyRowsPossibleAsync(LaneId lane) => _legacyKeyRows.FoundAsync(lane);

    internal TableClient Table { get; }

    /// <summary>Creates the table if needed.</summary>
    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => Table.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <summary>The lane's account row, or null before its first allocation.</summary>
    public async Task<LedgerAccount?> GetAccountAsync(LaneId lane, CancellationToken cancellationToken = default)
    {
        TableEntity? e = await TryGetAsync(lane.PartitionKey, LedgerRows.AccountRow, cancellationToken).ConfigureAwait(false);
        return e is null ? null : LedgerRows.ToAccount(e);
    }

    /// <summary>The lowest nonce that may still be open (the lane's cursor; 0 before the lane first ran).</summary>
    public async Task<(ulong OpenFrom, ETag ETag)> GetCursorAsync(LaneId lane, CancellationToken cancellationToken = default)
    {
        TableEntity? e = await TryGetAsync(lane.PartitionKey, LaneRow, cancellationToken).ConfigureAwait(false);
        return e is null ? (0, default) : ((ulong)e.GetInt64("OpenFrom")!.Value, e.ETag);
    }

    /// <summary>Moves the lane's cursor (only the lease holder calls this).</summary>
    public async Task<ETag> SetCursorAsync(LaneId lane, ulong openFrom, ETag etag, CancellationToken cancellationToken = default)
    {
        var e = new TableEntity(lane.PartitionKey, LaneRow) { ["OpenFrom"] = (long)openFrom };
        Response response = etag == default
            ? await Table.UpsertEntityAsync(e, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
            : await Table.UpdateEntityAsync(e, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return response.Headers.ETag ?? default;
    }

    /// <summary>The transaction rows with nonces in [<paramref name="from"/>, <paramref name="to"/>], in nonce order.</summary>
    public async Task<List<LedgerTransaction>> GetTransactionsAsync(LaneId lane, ulong from, ulong to = ulong.MaxValue / 2, CancellationToken cancellationToken = default) =>
        [.. (await TransactionEntitiesAsync(lane, from, to, select: null, cancellationToken).ConfigureAwait(false)).Select(LedgerRows.ToTransaction)];

    /// <summary>
    /// The state of each transaction row from <paramref name="from"/> to <paramref name="to"/>, and whether the node
    /// rejected it, reading only those columns: what a command's progress counts, without the calldata, notes and
    /// hashes of a full row (a 20,000-row distribution's rows are megabytes, and its orchestration polls them every
    /// second while it runs).
    /// </summary>
    public async Task<List<(TransactionState State, bool Rejected)>> GetTransactionStatesAsync(LaneId lane, ulong from, ulong to, CancellationToken cancellationToken = default) =>
        [.. (await TransactionEntitiesAsync(lane, from, to, select: ["State", "RejectedError"], cancellationToken).ConfigureAwait(false))
            .Select(e => (Enum.Parse<TransactionState>(e.GetString("State")!), e.GetString("RejectedError") is not null))];

    // The transaction rows' entities in [from, to] (with only the columns in select, when given), in nonce order. One
    // nonce (a single transfer's status, a retried key's row) is a point read, which storage answers from its index; a
    // range query is a scan on Azurite and a costlier request on Azure.
    private async Task<List<TableEntity>> TransactionEntitiesAsync(LaneId lane, ulong from, ulong to, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        if (from == to)
        {
            return await TryGetAsync(lane.PartitionKey, LedgerRows.TransactionRow(from), cancellationToken).ConfigureAwait(false) is { } row ? [row] : [];
        }

        string upper = to >= 9_999_999_999 ? "tx." : LedgerRows.TransactionRow(to) + "~";
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {lane.PartitionKey} and RowKey ge {LedgerRows.TransactionRow(from)} and RowKey lt {upper}");
        var rows = new List<TableEntity>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(e);
        }

        return rows;
    }

    /// <summary>
    /// The nonces of the transaction rows that command <paramref name="commandId"/> owns, ascending. A filter over
    /// the lane's transaction rows, for the rare repair of an interrupted command, not for a hot path.
    /// </summary>
    public async Task<List<ulong>> GetCommandNoncesAsync(LaneId lane, string commandId, CancellationToken cancellationToken = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {lane.PartitionKey} and RowKey ge {LedgerRows.TransactionRow(0)} and RowKey lt {"tx."} and CommandId eq {commandId}");
        var nonces = new List<ulong>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, select: ["Nonce"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            nonces.Add((ulong)e.GetInt64("Nonce")!.Value);
        }

        nonces.Sort();
        return nonces;
    }

    /// <summary>The attempt rows of nonces ≥ <paramref name="from"/>, grouped by nonce, each list in attempt order.</summary>
    public async Task<Dictionary<ulong, List<LedgerAttempt>>> GetAttemptsAsync(LaneId lane, ulong from, ulong to = ulong.MaxValue / 2, CancellationToken cancellationToken = default)
    {
        string upper = to >= 9_999_999_999 ? "at." : LedgerRows.AttemptPrefix(to) + "~";
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {lane.PartitionKey} and RowKey ge {LedgerRows.AttemptPrefix(from)} and RowKey lt {upper}");
        var byNonce = new Dictionary<ulong, List<LedgerAttempt>>();
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            LedgerAttempt attempt = LedgerRows.ToAttempt(e);
            if (!byNonce.TryGetValue(attempt.Nonce, out List<LedgerAttempt>? list))
            {
                byNonce[attempt.Nonce] = list = [];
            }

            list.Add(attempt);
        }

        return byNonce;
    }

    /// <summary>
    /// Writes lane changes as entity-group transactions of at most 100 actions. Groups naming the same transaction
    /// row are merged first (a row may appear once per entity-group transaction, and its ETag changes with each
    /// write). Each merged group (e.g. a new attempt and its transaction row) is applied atomically and never
    /// split; the batches touch disjoint rows, so up to <see cref="MaxConcurrentBatches"/> are submitted at once.
    /// ETags of the written objects are updated.
    /// </summary>
    /// <exception cref="TableTransactionFailedException">A row changed behind the lane (another writer): the lane must stop.</exception>
    public Task WriteAsync(LaneId lane, IReadOnlyList<LedgerWriteGroup> groups, CancellationToken cancellationToken = default) =>
        WriteAsync(lane, groups, null, cancellationToken);

    /// <summary>
    /// <see cref="WriteAsync(LaneId, IReadOnlyList{LedgerWriteGroup}, CancellationToken)"/>, then moves the lane's cursor
    /// to <paramref name="openFrom"/>. When the groups fit in one entity-group transaction the cursor joins it (one
    /// round trip, and the cursor moves atomically with the rows that let it move); otherwise it is written after
    /// every batch succeeded, so it never passes a row whose terminal state is not stored.
    /// </summary>
    /// <returns>The cursor row's new ETag.</returns>
    public async Task<ETag> WriteAsync(LaneId lane, IReadOnlyList<LedgerWriteGroup> groups, ulong openFrom, ETag cursorETag, CancellationToken cancellationToken = default)
    {
        var cursor = new CursorTarget(new TableEntity(lane.PartitionKey, LaneRow) { ["OpenFrom"] = (long)openFrom }, cursorETag);
        await WriteAsync(lane, groups, cursor, cancellationToken).ConfigureAwait(false);
        return cursor.Written ? cursor.ETag : await SetCursorAsync(lane, openFrom, cursorETag, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(LaneId lane, IReadOnlyList<LedgerWriteGroup> groups, CursorTarget? cursor, CancellationToken cancellationToken)
    {
        var batches = new List<List<(TableTransactionAction Action, object Target)>>();
        var batch = new List<(TableTransactionAction Action, object Target)>();
        foreach (LedgerWriteGroup group in Merge(groups))
        {
            if (batch.Count + group.Count > StorageLimits.MaxTransactionActions)
            {
                batches.Add(batch);
                batch = [];
            }

            foreach (LedgerAttempt attempt in group.NewAttempts)
            {
                batch.Add((new TableTransactionAction(TableTransactionActionType.Add, LedgerRows.ToEntity(lane, attempt)), attempt));
            }

            foreach (LedgerAttempt attempt in group.ChangedAttempts)
            {
                batch.Add((new TableTransactionAction(TableTransactionActionType.UpdateReplace, LedgerRows.ToEntity(lane, attempt), attempt.ETag), attempt));
            }

            if (group.Transaction is { } tx)
            {
                tx.UpdatedTime = DateTimeOffset.UtcNow;
                batch.Add((new TableTransactionAction(TableTransactionActionType.UpdateReplace, LedgerRows.ToEntity(lane, tx), tx.ETag), tx));
            }
        }

        if (cursor is not null && batches.Count == 0 && batch.Count < StorageLimits.MaxTransactionActions)
        {
            TableTransactionAction move = cursor.ETag == default
                ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, cursor.Entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, cursor.Entity, cursor.ETag);
            batch.Add((move, cursor));
        }

        if (batch.Count > 0)
        {
            batches.Add(batch);
        }

        if (batches.Count == 0)
        {
            return;
        }

        if (batches.Count == 1)
        {
            await SubmitAsync(batches[0], cancellationToken).ConfigureAwait(false);
            return;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentBatches, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(batches, parallel, async (b, token) => await SubmitAsync(b, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static List<LedgerWriteGroup> Merge(IReadOnlyList<LedgerWriteGroup> groups)
    {
        var merged = new List<LedgerWriteGroup>(groups.Count);
        var byRow = new Dictionary<LedgerTransaction, int>(ReferenceEqualityComparer.Instance);
        foreach (LedgerWriteGroup group in groups)
        {
            if (group.Transaction is not { } tx || !byRow.TryGetValue(tx, out int index))
            {
                if (group.Transaction is { } first)
                {
                    byRow[first] = merged.Count;
                }

                merged.Add(group);
                continue;
            }

            LedgerWriteGroup earlier = merged[index];
            List<LedgerAttempt> added = [.. earlier.NewAttempts.Concat(group.NewAttempts).Distinct(ReferenceEqualityComparer.Instance).Cast<LedgerAttempt>()];
            List<LedgerAttempt> changed = [.. earlier.ChangedAttempts.Concat(group.ChangedAttempts).Distinct(ReferenceEqualityComparer.Instance).Cast<LedgerAttempt>().Where(a => !added.Any(n => ReferenceEquals(n, a)))];
            merged[index] = new LedgerWriteGroup(tx, added, changed);
        }

        return merged;
    }

    /// <summary>
    /// Records that the business key whose tag hash is <paramref name="keyHash"/> holds <paramref name="nonce"/> (a
    /// transaction of ours found on chain whose row was lost), unless the key already holds a nonce.
    /// </summary>
    /// <returns>True when the row was written, false when the key already had one.</returns>
    public async Task<bool> TryAddRecoveredKeyAsync(LaneId lane, ReadOnlyMemory<byte> keyHash, ulong nonce, CancellationToken cancellationToken = default)
    {
        try
        {
            await Table.AddEntityAsync(LedgerRows.RecoveredKeyRow(lane, keyHash.Span, nonce), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// The idempotency row of <paramref name="businessKey"/> (its <c>Nonce</c>, <c>CommandId</c>, <c>Content</c>), or
    /// null when the key holds no nonce. Falls back to the row key of ledgers written before business-key tags
    /// (<see cref="CommandKeys.LegacyBusinessKeyRow"/>) in a lane that may hold such rows (<see cref="LegacyKeyRows"/>);
    /// nothing writes that key any more, so the fallback cannot race.
    /// </summary>
    public async Task<TableEntity?> TryGetBusinessKeyAsync(LaneId lane, string businessKey, CancellationToken cancellationToken = default)
    {
        TableEntity? row = await TryGetAsync(lane.PartitionKey, CommandKeys.BusinessKeyRow(businessKey), cancellationToken).ConfigureAwait(false);
        return row is null && _legacyKeyRows.Possible(lane)
            ? await TryGetAsync(lane.PartitionKey, CommandKeys.LegacyBusinessKeyRow(businessKey), cancellationToken).ConfigureAwait(false)
            : row;
    }

    /// <summary>
    /// The idempotency rows of <paramref name="businessKeys"/> (null where a key holds no nonce), aligned with them,
    /// each in either row-key format. A few keys are point reads; for more, the account row's nonce span chooses
    /// (see <see cref="GetBusinessKeysAsync(LaneId, IReadOnlyList{string}, ulong?, CancellationToken)"/>).
    /// </summary>
    public async Task<TableEntity?[]> GetBusinessKeysAsync(LaneId lane, IReadOnlyList<string> businessKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(businessKeys);
        ulong? laneRows = null;
        if (businessKeys.Count > FewKeys)
        {
            laneRows = RowsOf(await GetAccountAsync(lane, cancellationToken).ConfigureAwait(false));
        }

        return await GetBusinessKeysAsync(lane, businessKeys, laneRows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="GetBusinessKeysAsync(LaneId, IReadOnlyList{string}, CancellationToken)"/>, for a caller that
    /// has just read the account row: <paramref name="laneRows"/> is its estimate of the lane's rows
    /// (<see cref="RowsOf"/>), null for point reads.
    /// </summary>
    /// <remarks>
    /// A key that holds no nonce costs two point reads (its row key, then the pre-tag one), so a new 2,000-row
    /// distribution cost 4,000 requests in each of the three places that look its keys up, most of its submission
    /// time. Where the lane holds few rows for the keys asked about, one range query over its idempotency rows (a
    /// page per 1,000 rows) answers the same; a lane with many more rows than keys keeps the point reads.
    /// </remarks>
    internal async Task<TableEntity?[]> GetBusinessKeysAsync(LaneId lane, IReadOnlyList<string> businessKeys, ulong? laneRows, CancellationToken cancellationToken)
    {
        if (businessKeys.Count == 0)
        {
            return [];
        }

        if (laneRows is ulong rows && rows <= (ulong)businessKeys.Count * ScanRowsPerKey)
        {
            Dictionary<string, TableEntity> stored = await GetBusinessKeyRowsAsync(lane, cancellationToken).ConfigureAwait(false);
            return [.. businessKeys.Select(k => stored.GetValueOrDefault(CommandKeys.BusinessKeyRow(k)) ?? stored.GetValueOrDefault(CommandKeys.LegacyBusinessKeyRow(k)))];
        }

        var found = new TableEntity?[businessKeys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, businessKeys.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelPointReads, CancellationToken = cancellationToken }, async (i, ct) =>
            found[i] = await TryGetBusinessKeyAsync(lane, businessKeys[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return found;
    }

    /// <summary>The number of transaction rows the account row's nonce span says the lane holds (0 without one).</summary>
    internal static ulong RowsOf(LedgerAccount? account) =>
        account is null || account.NextNonce < account.FirstNonce ? 0 : account.NextNonce - account.FirstNonce;

    // Every idempotency row of the lane (both row-key formats) by row key, in one range query that the service pages.
    private async Task<Dictionary<string, TableEntity>> GetBusinessKeyRowsAsync(LaneId lane, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {lane.PartitionKey} and RowKey ge {CommandKeys.BusinessKeyRowPrefix} and RowKey lt {"key."}");
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (TableEntity e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows[e.RowKey] = e;
        }

        return rows;
    }

    // Most reads miss (a new business key is the common case), so the miss is an answer, not an exception: a thrown
    // 404 cost a RequestFailedException, rethrown at every await between the SDK and here, per submitted transfer.
    internal async Task<TableEntity?> TryGetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }

    private async Task SubmitAsync(List<(TableTransactionAction Action, object Target)> batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<ETag> etags = [.. (await Table.SubmitTransactionAsync(batch.Select(b => b.Action), cancellationToken).ConfigureAwait(false)).Value.Select(r => r.Headers.ETag.GetValueOrDefault())];
        for (int i = 0; i < batch.Count; i++)
        {
            switch (batch[i].Target)
            {
                case LedgerTransaction tx:
                    tx.ETag = etags[i];
                    break;
                case LedgerAttempt attempt:
                    attempt.ETag = etags[i];
                    break;
                case CursorTarget cursor:
                    cursor.ETag = etags[i];
                    cursor.Written = true;
                    break;
            }
        }
    }

    private sealed class CursorTarget(TableEntity entity, ETag etag)
    {
        public TableEntity Entity { get; } = entity;

        public ETag ETag { get; set; } = etag;

        public bool Written { get; set; }
    }
}
