using System.Globalization;
using System.Numerics;
using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Faults;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>
/// The scanner's Table Storage: per token one events partition (<c>{block:D12}-{logIndex:D6}</c>), one holders
/// partition (RowKey = holder), one balance-history partition (<c>{block:D12}-{holder}</c>), a cursor row, plus the
/// watch list and identities. Writes are entity-group batches of up to 100 rows of one partition. Cursor and
/// holder rows are written conditionally on the ETag they were read with (new ones by insert), so a second scanner
/// of the same token — another instance, or an abandoned scan whose writes land late — cannot overwrite what this
/// one read without the write failing with <see cref="ScanErrorKind.Concurrent"/>.
/// </summary>
public sealed class ScanStore
{
    private const string CursorPartition = "cursor";
    private const string WatchPartition = "watch";
    private const string IdentityPartition = "identity";
    private const string IssuedPartition = "token";
    private const int ParallelBatches = 4;
    private const string HolderRanges = "0123456789abcdef";
    private const int LastHolderRange = 15;

    // Everything a balance needs; Sortable (79 characters) is for people browsing the table, not for reading back.
    private static readonly string[] s_holderColumns = ["RowKey", "Balance", "LastBlock", "LastTime", "FirstBlock"];

    private readonly TableServiceClient _service;
    private readonly string _tokensTable;
    private readonly FaultInjector _faults;
    private int _created;

    /// <summary>Creates the store over <paramref name="service"/>; <paramref name="faults"/> is for crash tests.</summary>
    public ScanStore(TableServiceClient service, ScannerOptions options, FaultInjector? faults = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _service = service;
        string prefix = options.TablePrefix;
        Events = service.GetTableClient(prefix + "scanevents");
        Holders = service.GetTableClient(prefix + "scanholders");
        History = service.GetTableClient(prefix + "scanhistory");
        Cursors = service.GetTableClient(prefix + "scancursors");
        Watch = service.GetTableClient(prefix + "scanwatch");
        Identities = service.GetTableClient(prefix + "identities");
        _tokensTable = options.TokensTable;
        _faults = faults ?? FaultInjector.None;
    }

    internal TableClient Events { get; }

    internal TableClient Holders { get; }

    internal TableClient History { get; }

    internal TableClient Cursors { get; }

    internal TableClient Watch { get; }

    internal TableClient Identities { get; }

    /// <summary>Creates the tables once per store instance.</summary>
    public async Task EnsureTablesAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _created) == 1)
        {
            return;
        }

        foreach (TableClient table in new[] { Events, Holders, History, Cursors, Watch, Identities })
        {
            await table.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _created, 1);
    }

    /// <summary>Creates the tables again, after an operation failed because one was deleted while the app ran.</summary>
    public Task RecreateTablesAsync(CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _created, 0);
        return EnsureTablesAsync(cancellationToken);
    }

    /// <summary>The token's cursor, or null before its first scan.</summary>
    public async Task<ScanCursor?> GetCursorAsync(Address token, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await Cursors.GetEntityIfExistsAsync<TableEntity>(CursorPartition, Key(token), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        TableEntity e = row.Value!;
        return new ScanCursor(
            token,
            (ulong)e.GetInt64("StartBlock")!.Value,
            (ulong)e.GetInt64("LastBlock")!.Value,
            ScanCursor.ParseHashes(e.GetString("Hashes")),
            e.GetString("Name") ?? "",
            e.GetString("Symbol") ?? "",
            e.GetInt32("Decimals") ?? 18)
        {
            ETag = e.ETag,
        };
    }

    /// <summary>
    /// Writes the cursor (the commit point of a range): inserted when <paramref name="cursor"/> has no ETag, else
    /// replaced only if the row still has that ETag. Returns the cursor with its new ETag.
    /// </summary>
    /// <exception cref="ScanException">Another scanner wrote the cursor since it was read (<see cref="ScanErrorKind.Concurrent"/>).</exception>
    public async Task<ScanCursor> SaveCursorAsync(ScanCursor cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var e = new TableEntity(CursorPartition, Key(cursor.Token))
        {
            ["StartBlock"] = (long)cursor.StartBlock,
            ["LastBlock"] = (long)cursor.LastBlock,
            ["Hashes"] = cursor.FormatHashes(),
            ["Name"] = cursor.Name,
            ["Symbol"] = cursor.Symbol,
            ["Decimals"] = cursor.Decimals,
        };
        Response response;
        try
        {
            response = cursor.ETag == default
                ? await Cursors.AddEntityAsync(e, cancellationToken).ConfigureAwait(false)
                : await Cursors.UpdateEntityAsync(e, cursor.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsConcurrent(ex))
        {
            throw Concurrent(cursor.Token, "cursor", ex);
        }

        _faults.Reached(ScanCrashPoint.AfterCursor);
        return cursor with { ETag = response.Headers.ETag ?? default };
    }

    /// <summary>
    /// Every holder row of the token, read as 16 RowKey ranges (<c>0x0…</c> to <c>0xf…</c>) in parallel: a query
    /// returns at most 1,000 rows per round trip, so one sequential walk of a 100,000-holder partition is 100
    /// dependent requests, whereas 16 ranges are 16 independent walks of about 7 requests each.
    /// </summary>
    public async Task<Dictionary<Address, HolderBalance>> LoadHoldersAsync(Address token, CancellationToken cancellationToken = default)
    {
        string pk = Key(token);
        List<HolderBalance>[] parts = await Task.WhenAll(Enumerable.Range(0, HolderRanges.Length).Select(async i =>
        {
            // Keys are "0x" + 40 lowercase hex digits, so "0x{digit}" ≤ key < "0x{next}" splits them by first digit.
            // The first and last ranges are open, so no row can fall outside every range.
            string filter = i switch
            {
                0 => TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey lt {"0x" + HolderRanges[1]}"),
                LastHolderRange => TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {"0x" + HolderRanges[i]}"),
                _ => TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {"0x" + HolderRanges[i]} and RowKey lt {"0x" + HolderRanges[i + 1]}"),
            };
            var part = new List<HolderBalance>();
            await foreach (TableEntity e in Holders.QueryAsync<TableEntity>(filter, StorageLimits.MaxTablePageSize, s_holderColumns, cancellationToken).ConfigureAwait(false))
            {
                part.Add(ReadHolder(e));
            }

            return part;
        })).ConfigureAwait(false);

        var holders = new Dictionary<Address, HolderBalance>(parts.Sum(p => p.Count));
        foreach (HolderBalance h in parts.SelectMany(p => p))
        {
            holders[h.Holder] = h;
        }

        return holders;
    }

    /// <summary>The token's stored events in chain order.</summary>
    public async Task<List<TransferLog>> ReadEventsAsync(Address token, CancellationToken cancellationToken = default)
    {
        var events = new List<TransferLog>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {Key(token)}");
        await foreach (TableEntity e in Events.QueryAsync<TableEntity>(filter, StorageLimits.MaxTablePageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(ReadEvent(e));
        }

        return events;
    }

    /// <summary>
    /// The stored events that moved <paramref name="holder"/>'s balance (as sender or receiver) and its balance-history
    /// rows, both in chain order: a holder's balance after each of its transfers, for <c>GET …/holders/{address}/history</c>.
    /// Reads filter on non-key columns, i.e. walk the token's partitions; fine for an operator's read of one holder.
    /// </summary>
    public async Task<(List<TransferLog> Events, List<BalanceChange> Changes)> ReadHolderHistoryAsync(Address token, Address holder, CancellationToken cancellationToken = default)
    {
        string pk = Key(token), h = Key(holder);
        var events = new List<TransferLog>();
        await foreach (TableEntity e in Events.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk} and (From eq {h} or To eq {h})"), StorageLimits.MaxTablePageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(ReadEvent(e));
        }

        var changes = new List<BalanceChange>();
        await foreach (TableEntity e in History.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk} and Holder eq {h}"), StorageLimits.MaxTablePageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            changes.Add(ReadChange(e));
        }

        return (events, changes);
    }

    /// <summary>
    /// Writes a range's rows in crash-safe order: events and balance history (concurrently), then holders. A crash
    /// before the cursor moves leaves rows above the cursor, which <see cref="RollbackAsync(Address, ulong, CancellationToken)"/>
    /// removes on the next start (<see cref="HasRowsAfterAsync"/> finds them). Holder rows are written conditionally
    /// (see the class remarks); the returned holders carry their new ETags.
    /// </summary>
    /// <exception cref="ScanException">A holder row changed since it was read (<see cref="ScanErrorKind.Concurrent"/>).</exception>
    public async Task<IReadOnlyList<HolderBalance>> WriteRangeAsync(Address token, IReadOnlyList<TransferLog> events, IReadOnlyList<BalanceChange> changes, IEnumerable<HolderBalance> holders, CancellationToken cancellationToken = default)
    {
        string pk = Key(token);
        // History must be durable before a holder row moves past the cursor: a rollback restores holders from it.
        await Task.WhenAll(
            SubmitAsync(Events, events.Select(l => EventEntity(pk, l)), TableTransactionActionType.UpsertReplace, ScanCrashPoint.AfterEventsBatch, cancellationToken),
            SubmitAsync(History, changes.Select(c => HistoryEntity(pk, c)), TableTransactionActionType.UpsertReplace, ScanCrashPoint.AfterHistoryBatch, cancellationToken)).ConfigureAwait(false);
        return await WriteHoldersAsync(token, [.. holders], ScanCrashPoint.AfterHoldersBatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when events or balance history above <paramref name="block"/> exist, i.e. a range was interrupted
    /// before its cursor moved (or a rollback was interrupted): two one-row range reads, cheap enough for every start.
    /// Holder rows never move past the cursor without history or event rows of the same range: they are written
    /// after them, and a rollback deletes events last.
    /// </summary>
    public async Task<bool> HasRowsAfterAsync(Address token, ulong block, CancellationToken cancellationToken = default)
    {
        foreach (TableClient table in new[] { Events, History })
        {
            await foreach (TableEntity _ in QueryFromAsync(table, token, block + 1, ["RowKey"], cancellationToken, take: 1).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For each holder with a balance change after <paramref name="block"/>, its first such change (whose
    /// <see cref="BalanceChange.Previous"/> is the balance at <paramref name="block"/>).
    /// </summary>
    public async Task<Dictionary<Address, BalanceChange>> FirstChangesAfterAsync(Address token, ulong block, CancellationToken cancellationToken = default)
    {
        var first = new Dictionary<Address, BalanceChange>();
        await foreach (TableEntity e in QueryFromAsync(History, token, block + 1, null, cancellationToken).ConfigureAwait(false))
        {
            BalanceChange change = ReadChange(e);
            first.TryAdd(change.Holder, change);
        }

        return first;
    }

    /// <summary>
    /// Undoes everything above <paramref name="block"/>: holders get their balance at that block back, holders first
    /// seen after it are removed, and history and events above it are deleted. Idempotent, so a crash inside a
    /// rollback is finished by the next one. Returns true when any row was changed.
    /// </summary>
    /// <exception cref="ScanException">A holder row changed since it was read (<see cref="ScanErrorKind.Concurrent"/>).</exception>
    public async Task<bool> RollbackAsync(Address token, ulong block, CancellationToken cancellationToken = default) =>
        await RollbackAsync(token, block, await LoadHoldersAsync(token, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <see cref="RollbackAsync(Address, ulong, CancellationToken)"/> over already loaded <paramref name="holders"/>,
    /// which are updated to the balances at <paramref name="block"/>.
    /// </summary>
    public async Task<bool> RollbackAsync(Address token, ulong block, Dictionary<Address, HolderBalance> holders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holders);
        string pk = Key(token);
        Dictionary<Address, BalanceChange> first = await FirstChangesAfterAsync(token, block, cancellationToken).ConfigureAwait(false);
        var remove = holders.Values.Where(h => h.FirstBlock > block).Select(h => h.Holder).ToHashSet();
        var restore = new List<HolderBalance>();
        foreach (BalanceChange change in first.Values)
        {
            // PreviousBlock 0: a first appearance recorded by older versions, which wrote history for it.
            if (change.PreviousBlock == 0)
            {
                remove.Add(change.Holder);
            }
            else if (change.PreviousBlock > block)
            {
                // The balance before this change is itself from above the block, so this is not the holder's first
                // change after it: the first was its first appearance (no history row; removed by FirstBlock above
                // when its holder row was written, absent otherwise), or a history row an interrupted write or
                // rollback left out, in which case the holder row was not written past the block either (history
                // is durable before holders move, and a rollback restores holders before deleting history).
                // Restoring this Previous would put a balance from above the block under the cursor, and the
                // rescan would add that block's transfers a second time.
            }
            else if (!remove.Contains(change.Holder))
            {
                HolderBalance? now = holders.GetValueOrDefault(change.Holder);
                restore.Add(new HolderBalance(change.Holder, change.Previous, change.PreviousBlock, change.PreviousTime)
                {
                    FirstBlock = now?.FirstBlock ?? 0,
                    ETag = now?.ETag ?? default,
                });
            }
        }

        foreach (HolderBalance h in await WriteHoldersAsync(token, restore, null, cancellationToken).ConfigureAwait(false))
        {
            holders[h.Holder] = h;
        }

        await DeleteAsync(Holders, remove.Select(h => new TableEntity(pk, Key(h)) { ETag = holders.GetValueOrDefault(h)?.ETag ?? default }), token, cancellationToken).ConfigureAwait(false);
        foreach (Address h in remove)
        {
            holders.Remove(h);
        }

        _faults.Reached(ScanCrashPoint.RollbackAfterHolders);

        var history = new List<TableEntity>();
        await foreach (TableEntity e in QueryFromAsync(History, token, block + 1, ["PartitionKey", "RowKey"], cancellationToken).ConfigureAwait(false))
        {
            history.Add(new TableEntity(e.PartitionKey, e.RowKey));
        }

        await SubmitAsync(History, history, TableTransactionActionType.Delete, ScanCrashPoint.RollbackAfterHistoryBatch, cancellationToken).ConfigureAwait(false);

        // Events go last: while any remain above the block, HasRowsAfterAsync sends the next start here again.
        var events = new List<TableEntity>();
        await foreach (TableEntity e in QueryFromAsync(Events, token, block + 1, ["PartitionKey", "RowKey"], cancellationToken).ConfigureAwait(false))
        {
            events.Add(new TableEntity(e.PartitionKey, e.RowKey));
        }

        await SubmitAsync(Events, events, TableTransactionActionType.Delete, null, cancellationToken).ConfigureAwait(false);
        return remove.Count > 0 || restore.Count > 0 || history.Count > 0 || events.Count > 0;
    }

    /// <summary>Puts <paramref name="token"/> on the watch list (scanned by the timer from <paramref name="fromBlock"/> or its deployment).</summary>
    public Task WatchAsync(Address token, ulong? fromBlock, CancellationToken cancellationToken = default)
    {
        var e = new TableEntity(WatchPartition, Key(token));
        if (fromBlock is { } from)
        {
            e["FromBlock"] = (long)from;
        }

        return Watch.UpsertEntityAsync(e, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Tokens to scan: those we issued (the host's tokens table) and the watch list, with a start block when known.</summary>
    public async Task<IReadOnlyDictionary<Address, ulong?>> ListWatchedAsync(CancellationToken cancellationToken = default)
    {
        var tokens = new Dictionary<Address, ulong?>();
        await foreach (TableEntity e in Watch.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {WatchPartition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            tokens[Address.Parse(e.RowKey)] = (ulong?)e.GetInt64("FromBlock");
        }

        TableClient issued = _service.GetTableClient(_tokensTable);
        try
        {
            await foreach (TableEntity e in issued.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {IssuedPartition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (Address.TryParse(e.RowKey, out Address token))
                {
                    tokens[token] = (ulong?)e.GetInt64("DeploymentBlock") ?? tokens.GetValueOrDefault(token);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No token issued yet: the host creates its table on first issue.
        }

        return tokens;
    }

    /// <summary>The deployment block recorded by the host when it issued <paramref name="token"/>, or null.</summary>
    public async Task<ulong?> GetIssuedDeploymentBlockAsync(Address token, CancellationToken cancellationToken = default)
    {
        try
        {
            NullableResponse<TableEntity> row = await _service.GetTableClient(_tokensTable)
                .GetEntityIfExistsAsync<TableEntity>(IssuedPartition, Key(token), cancellationToken: cancellationToken).ConfigureAwait(false);
            return row.HasValue ? (ulong?)row.Value!.GetInt64("DeploymentBlock") : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores real-world names (a later entry for the same address wins).</summary>
    public Task SetIdentitiesAsync(IEnumerable<KeyValuePair<Address, string>> identities, CancellationToken cancellationToken = default) =>
        SubmitAsync(
            Identities,
            identities.Select(p => new TableEntity(IdentityPartition, Key(p.Key)) { ["Name"] = p.Value }),
            TableTransactionActionType.UpsertReplace,
            null,
            cancellationToken);

    /// <summary>All stored names by address.</summary>
    public async Task<Dictionary<Address, string>> GetIdentitiesAsync(CancellationToken cancellationToken = default)
    {
        var names = new Dictionary<Address, string>();
        await foreach (TableEntity e in Identities.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {IdentityPartition}"), StorageLimits.MaxTablePageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            names[Address.Parse(e.RowKey)] = e.GetString("Name") ?? "";
        }

        return names;
    }

    /// <summary>Table key of an address: lowercase hex, so every spelling maps to one row.</summary>
    public static string Key(Address address) => address.ToLowerHex();

    /// <summary>
    /// A string that sorts like the number: <c>1</c> + 78 digits for non-negative values (2^256 has 78 digits),
    /// <c>0</c> + the 78-digit complement for negative ones.
    /// </summary>
    public static string Sortable(BigInteger value) => value.Sign >= 0
        ? "1" + value.ToString("D78", CultureInfo.InvariantCulture)
        : "0" + (BigInteger.Pow(10, 78) + value).ToString("D78", CultureInfo.InvariantCulture);

    private static TransferLog ReadEvent(TableEntity e) => new(
        (ulong)e.GetInt64("Block")!.Value,
        (ulong)e.GetInt64("LogIndex")!.Value,
        Hash32.Parse(e.GetString("TxHash")!),
        Hash32.Parse(e.GetString("BlockHash")!),
        Address.Parse(e.GetString("From")!),
        Address.Parse(e.GetString("To")!),
        UInt256.Parse(e.GetString("Value")!),
        e.GetDateTimeOffset("BlockTime") ?? DateTimeOffset.UnixEpoch);

    private static HolderBalance ReadHolder(TableEntity e) => new(
        Address.Parse(e.RowKey),
        BigInteger.Parse(e.GetString("Balance")!, CultureInfo.InvariantCulture),
        (ulong)e.GetInt64("LastBlock")!.Value,
        e.GetDateTimeOffset("LastTime") ?? DateTimeOffset.UnixEpoch)
    {
        FirstBlock = (ulong)(e.GetInt64("FirstBlock") ?? 0),
        ETag = e.ETag,
    };

    private static TableEntity EventEntity(string pk, TransferLog l) => new(pk, l.RowKey)
    {
        ["Block"] = (long)l.Block,
        ["LogIndex"] = (long)l.LogIndex,
        ["TxHash"] = l.TransactionHash.ToString(),
        ["BlockHash"] = l.BlockHash.ToString(),
        ["From"] = l.From.ToLowerHex(),
        ["To"] = l.To.ToLowerHex(),
        ["Value"] = l.Value.ToString(),
        ["BlockTime"] = l.BlockTime,
    };

    private static TableEntity HolderEntity(string pk, HolderBalance h) => new(pk, Key(h.Holder))
    {
        ["Balance"] = h.Balance.ToString(CultureInfo.InvariantCulture),
        ["Sortable"] = Sortable(h.Balance),
        ["LastBlock"] = (long)h.LastBlock,
        ["LastTime"] = h.LastTime,
        ["FirstBlock"] = (long)h.FirstBlock,
    };

    private static TableEntity HistoryEntity(string pk, BalanceChange c) => new(pk, $"{c.Block:D12}-{Key(c.Holder)}")
    {
        ["Holder"] = Key(c.Holder),
        ["Block"] = (long)c.Block,
        ["Time"] = c.Time,
        ["Balance"] = c.Balance.ToString(CultureInfo.InvariantCulture),
        ["Previous"] = c.Previous.ToString(CultureInfo.InvariantCulture),
        ["PreviousBlock"] = (long)c.PreviousBlock,
        ["PreviousTime"] = c.PreviousTime,
    };

    private static BalanceChange ReadChange(TableEntity e) => new(
        Address.Parse(e.GetString("Holder")!),
        (ulong)e.GetInt64("Block")!.Value,
        e.GetDateTimeOffset("Time") ?? DateTimeOffset.UnixEpoch,
        BigInteger.Parse(e.GetString("Balance")!, CultureInfo.InvariantCulture),
        BigInteger.Parse(e.GetString("Previous")!, CultureInfo.InvariantCulture),
        (ulong)e.GetInt64("PreviousBlock")!.Value,
        e.GetDateTimeOffset("PreviousTime") ?? DateTimeOffset.UnixEpoch);

    private static IAsyncEnumerable<TableEntity> QueryFromAsync(TableClient table, Address token, ulong fromBlock, IEnumerable<string>? select, CancellationToken cancellationToken, int take = StorageLimits.MaxTablePageSize)
    {
        // RowKeys start with the zero-padded block, so "RowKey ge '{block:D12}'" is a range scan in chain order.
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {Key(token)} and RowKey ge {fromBlock.ToString("D12", CultureInfo.InvariantCulture)}");
        return table.QueryAsync<TableEntity>(filter, take, select, cancellationToken);
    }

    private async Task SubmitAsync(TableClient table, IEnumerable<TableEntity> entities, TableTransactionActionType type, string? crashPoint, CancellationToken cancellationToken)
    {
        // One entity-group transaction holds ≤ 100 rows of one partition; batches of the same phase run in parallel.
        TableTransactionAction[][] batches = entities
            .Select(e => new TableTransactionAction(type, e))
            .Chunk(StorageLimits.MaxTransactionActions)
            .ToArray();
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelBatches, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                await table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
                if (crashPoint is not null)
                {
                    _faults.Reached(crashPoint);
                }
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes holder rows conditionally: a row read with an ETag is replaced only if it still has it, a row without
    /// one is inserted. Batches run in parallel; returns the holders with their new ETags, in input order.
    /// </summary>
    private async Task<HolderBalance[]> WriteHoldersAsync(Address token, IReadOnlyList<HolderBalance> holders, string? crashPoint, CancellationToken cancellationToken)
    {
        string pk = Key(token);
        var written = new HolderBalance[holders.Count];
        int[][] batches = [.. Enumerable.Range(0, holders.Count).Chunk(StorageLimits.MaxTransactionActions)];
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelBatches, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                IReadOnlyList<ETag> etags;
                try
                {
                    etags = [.. (await Holders.SubmitTransactionAsync(
                        batch.Select(i => holders[i].ETag == default
                            ? new TableTransactionAction(TableTransactionActionType.Add, HolderEntity(pk, holders[i]))
                            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, HolderEntity(pk, holders[i]), holders[i].ETag)),
                        ct).ConfigureAwait(false)).Value.Select(r => r.Headers.ETag.GetValueOrDefault())];
                }
                catch (RequestFailedException ex) when (IsConcurrent(ex))
                {
                    throw Concurrent(token, "holder", ex);
                }

                for (int j = 0; j < batch.Length; j++)
                {
                    written[batch[j]] = holders[batch[j]] with { ETag = etags[j] };
                }

                if (crashPoint is not null)
                {
                    _faults.Reached(crashPoint);
                }
            }).ConfigureAwait(false);
        return written;
    }

    private async Task DeleteAsync(TableClient table, IEnumerable<TableEntity> entities, Address token, CancellationToken cancellationToken)
    {
        foreach (TableEntity[] chunk in entities.Chunk(StorageLimits.MaxTransactionActions))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, e.ETag)), cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != "TableNotFound")
            {
                // A batched delete fails whole when one row is already gone (an interrupted rollback removed it);
                // one by one, a single delete treats 404 as done.
                foreach (TableEntity e in chunk)
                {
                    try
                    {
                        await table.DeleteEntityAsync(e.PartitionKey, e.RowKey, e.ETag, cancellationToken).ConfigureAwait(false);
                    }
                    catch (RequestFailedException one) when (IsConcurrent(one))
                    {
                        throw Concurrent(token, "holder", one);
                    }
                }
            }
            catch (RequestFailedException ex) when (IsConcurrent(ex))
            {
                throw Concurrent(token, "holder", ex);
            }
        }
    }

    /// <summary>
    /// A conditional write lost: the row changed (412), was created (409) or deleted (404 on an update) since it was read.
    /// </summary>
    private static bool IsConcurrent(RequestFailedException ex) =>
        ex.Status is 409 or 412 || (ex.Status == 404 && ex.ErrorCode is not "TableNotFound");

    private static ScanException Concurrent(Address token, string row, RequestFailedException ex) => new(
        $"Another scanner wrote a {row} row of token {token} while this scan was writing (HTTP {ex.Status} {ex.ErrorCode}); this scan stopped before overwriting it. Scan again: the next scan starts from what is stored.",
        ScanErrorKind.Concurrent,
        ex);
}
