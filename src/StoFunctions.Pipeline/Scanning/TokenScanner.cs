using System.Collections.Concurrent;
using System.Numerics;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>
/// Scans ERC-20 <c>Transfer</c> logs of a token into <see cref="ScanStore"/>: adaptive block ranges fetched
/// concurrently and committed in order, the cursor saved after every range, reorgs detected by block hash and
/// rolled back. Mints, burns, forced transfers and recoveries of our SecurityToken all emit <c>Transfer</c>.
/// Only <c>eth_getLogs</c>, block headers and calls at the latest block are used: no archive state is needed.
/// </summary>
public sealed class TokenScanner
{
    private const int HeaderBatch = 100;
    private const int FetchAttempts = 3;
    private const int ConcurrentAttempts = 3;

    // The timer's scan covers the blocks since its last run, usually a handful: split, they would cost a request,
    // a header read and a cursor write each for nothing, so shares are not cut below this.
    private const ulong MinShareBlocks = 8;
    private static readonly Hash32 s_transferTopic = PlainTokenContract.TransferTopic;

    private readonly JsonRpcClient _rpc;
    private readonly ScanStore _store;
    private readonly ScannerOptions _options;
    private readonly ConcurrentDictionary<Address, SemaphoreSlim> _locks = new();

    /// <summary>Creates a scanner.</summary>
    public TokenScanner(JsonRpcClient rpc, ScanStore store, ScannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _rpc = rpc;
        _store = store;
        _options = options;
    }

    /// <summary>The store this scanner writes.</summary>
    public ScanStore Store => _store;

    /// <summary>
    /// Scans <paramref name="token"/> up to <paramref name="toBlock"/> (default: head minus
    /// <see cref="ScannerOptions.Confirmations"/>). A first scan starts at <paramref name="fromBlock"/> or the
    /// deployment block; a <paramref name="fromBlock"/> at or below the cursor rescans from there.
    /// </summary>
    /// <exception cref="ScanException">Invalid range, or the chain kept changing under a range.</exception>
    public async Task<ScanResult> ScanAsync(Address token, ulong? fromBlock = null, ulong? toBlock = null, CancellationToken cancellationToken = default)
    {
        if (fromBlock is { } f && toBlock is { } t && f > t)
        {
            throw new ScanException($"fromBlock {f} is after toBlock {t}; pass fromBlock ≤ toBlock.", ScanErrorKind.Invalid);
        }

        SemaphoreSlim gate = _locks.GetOrAdd(token, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await ScanLockedAsync(token, fromBlock, toBlock, cancellationToken).ConfigureAwait(false);
                }
                catch (ScanException ex) when (ex.Kind == ScanErrorKind.Concurrent && attempt < ConcurrentAttempts)
                {
                    // A conditional write lost (another scanner, or a write of ours retried after its answer was
                    // lost): nothing was overwritten, so starting again from the stored state is safe. A fromBlock
                    // rescan is not repeated once its rollback has been done.
                    if (fromBlock is { } from && await _store.GetCursorAsync(token, cancellationToken).ConfigureAwait(false) is { } now && now.LastBlock < from)
                    {
                        fromBlock = null;
                    }
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Where a first scan of <paramref name="token"/> starts when no deployment block is recorded: the block of its
    /// first <c>Transfer</c> log up to <paramref name="head"/> (nothing before it can change a balance), or
    /// <paramref name="head"/> + 1 when it has none yet. Found with <c>eth_getLogs</c> (ranges the node refuses are
    /// halved, the lower half searched first), so a node without historical state — a pruned full node, an anvil
    /// reloaded from its state file — serves it; <c>eth_getCode</c> is asked only at the latest block.
    /// </summary>
    /// <exception cref="ScanException">There is no contract at <paramref name="token"/> (<see cref="ScanErrorKind.Invalid"/>).</exception>
    public async Task<ulong> FindStartBlockAsync(Address token, ulong head, CancellationToken cancellationToken = default)
    {
        if ((await _rpc.GetCodeAsync(token, BlockParameter.Latest, cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            throw new ScanException($"There is no contract at {token}; check the token address and the chain.", ScanErrorKind.Invalid);
        }

        return await FirstTransferBlockAsync(token, 0, head, cancellationToken).ConfigureAwait(false) ?? head + 1;
    }

    private async Task<ScanResult> ScanLockedAsync(Address token, ulong? fromBlock, ulong? toBlock, CancellationToken cancellationToken)
    {
        await _store.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        ulong head = await _rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        ulong safeHead = head >= (ulong)_options.Confirmations ? head - (ulong)_options.Confirmations : 0;
        ulong? rolledBackTo = null;

        ScanCursor? cursor = await _store.GetCursorAsync(token, cancellationToken).ConfigureAwait(false);
        Dictionary<Address, HolderBalance>? loaded = null;
        async Task<Dictionary<Address, HolderBalance>> HoldersAsync() =>
            loaded ??= await _store.LoadHoldersAsync(token, cancellationToken).ConfigureAwait(false);

        if (cursor is null)
        {
            ulong start = fromBlock
                ?? await _store.GetIssuedDeploymentBlockAsync(token, cancellationToken).ConfigureAwait(false)
                ?? await FindStartBlockAsync(token, head, cancellationToken).ConfigureAwait(false);
            start = Math.Max(start, 1);
            (string name, string symbol, int decimals) = await ReadMetadataAsync(token, cancellationToken).ConfigureAwait(false);
            cursor = new ScanCursor(token, start, start - 1, new Dictionary<ulong, Hash32>(), name, symbol, decimals);
            // Rows above the new cursor can only be leftovers of a crashed first range.
            if (await _store.HasRowsAfterAsync(token, cursor.LastBlock, cancellationToken).ConfigureAwait(false))
            {
                await _store.RollbackAsync(token, cursor.LastBlock, await HoldersAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }

            cursor = await _store.SaveCursorAsync(cursor, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Claims the token: rewriting the cursor changes its ETag, so a scanner still running on it (another
            // instance, or an abandoned scan) fails its next cursor write instead of moving the cursor past rows
            // this scan is about to roll back.
            cursor = await _store.SaveCursorAsync(cursor, cancellationToken).ConfigureAwait(false);

            // A crash between a range's rows and its cursor leaves rows above the cursor: undo them first.
            if (await _store.HasRowsAfterAsync(token, cursor.LastBlock, cancellationToken).ConfigureAwait(false))
            {
                await _store.RollbackAsync(token, cursor.LastBlock, await HoldersAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }

            ulong? reorgAt = await FindReorgAsync(cursor, cancellationToken).ConfigureAwait(false);
            ulong? rescanAt = fromBlock is { } from && from <= cursor.LastBlock ? Math.Max(from, cursor.StartBlock) - 1 : null;
            ulong? target = reorgAt is { } r && rescanAt is { } s ? Math.Min(r, s) : reorgAt ?? rescanAt;
            if (target is { } back)
            {
                cursor = await RollbackCursorAsync(cursor, back, await HoldersAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                rolledBackTo = back;
            }
        }

        ulong end = Math.Min(toBlock ?? safeHead, safeHead);
        ulong first = cursor.LastBlock + 1;
        if (first > end)
        {
            return new ScanResult(token, first, cursor.LastBlock, 0, 0, rolledBackTo);
        }

        Dictionary<Address, HolderBalance> holders = await HoldersAsync().ConfigureAwait(false);
        var sizer = new BlockRangeSizer(_options.InitialRangeBlocks, Math.Max(_options.InitialRangeBlocks, _options.MaxRangeBlocks), _options.TargetEventsPerRange);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new Queue<Task<FetchedRange>>();
        int slots = Math.Max(1, _options.MaxConcurrentRanges);
        ulong next = first;
        long events = 0;
        int ranges = 0;
        try
        {
            while (next <= end || inFlight.Count > 0)
            {
                while (inFlight.Count < slots && next <= end)
                {
                    ulong to = Math.Min(end, next + RangeBlocks(sizer.Size, end - next + 1, slots - inFlight.Count) - 1);
                    inFlight.Enqueue(FetchAsync(token, next, to, head, abandon.Token));
                    next = to + 1;
                }

                FetchedRange range = await inFlight.Dequeue().ConfigureAwait(false);
                sizer.Observe((long)(range.To - range.From + 1), range.Logs.Count, range.Splits);
                cursor = await CommitAsync(cursor, range, holders, cancellationToken).ConfigureAwait(false);
                events += range.Logs.Count;
                ranges++;
            }
        }
        finally
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            foreach (Task<FetchedRange> pending in inFlight)
            {
                await Task.WhenAny(pending).ConfigureAwait(false);
            }
        }

        return new ScanResult(token, first, cursor.LastBlock, events, ranges, rolledBackTo);
    }

    /// <summary>
    /// The blocks of the next range: the sizer's, but no more than an even share of the <paramref name="left"/> blocks
    /// among the <paramref name="freeSlots"/> ranges that may still start, and that share no smaller than
    /// <see cref="MinShareBlocks"/>. A scan shorter than its ranges (a fresh scan's first range is 1,000 blocks) would
    /// otherwise be one range: one <c>eth_getLogs</c> of all its events while nothing is written, then all of its
    /// writes (50,000 events in 51 blocks: 1.5 s of reading before the first write). Split, its parts are read at once
    /// and the first is written while the others are still being read.
    /// </summary>
    internal static ulong RangeBlocks(int sizerBlocks, ulong left, int freeSlots)
    {
        ulong share = Math.Max((left + (ulong)freeSlots - 1) / (ulong)freeSlots, MinShareBlocks);
        return Math.Min((ulong)sizerBlocks, share);
    }

    private async Task<ScanCursor> CommitAsync(ScanCursor cursor, FetchedRange range, Dictionary<Address, HolderBalance> holders, CancellationToken cancellationToken)
    {
        var changes = new List<BalanceChange>();
        var touched = new Dictionary<Address, HolderBalance>();
        int i = 0;
        while (i < range.Logs.Count)
        {
            ulong block = range.Logs[i].Block;
            var before = new Dictionary<Address, HolderBalance?>();
            for (; i < range.Logs.Count && range.Logs[i].Block == block; i++)
            {
                TransferLog log = range.Logs[i];
                Apply(log.From, -(BigInteger)log.Value, log);
                Apply(log.To, (BigInteger)log.Value, log);
            }

            foreach ((Address holder, HolderBalance? old) in before)
            {
                HolderBalance now = holders[holder];
                if (old is not null)
                {
                    changes.Add(new BalanceChange(holder, block, now.LastTime, now.Balance, old.Balance, old.LastBlock, old.LastTime));
                }

                // A first appearance needs no history row: the holder row's FirstBlock says it did not exist before
                // (most holders of a widely distributed token are touched once, so this saves a third of the rows).
                touched[holder] = now;
            }

            void Apply(Address holder, BigInteger delta, TransferLog log)
            {
                // Mints come from and burns go to the zero address, which is not a holder.
                if (holder.IsZero)
                {
                    return;
                }

                HolderBalance? old = holders.GetValueOrDefault(holder);
                if (old is not null && old.LastBlock >= log.Block && !before.ContainsKey(holder))
                {
                    // The row already holds this block (a row is always the balance after its LastBlock, whole
                    // blocks at a time): an interrupted range wrote it and no rollback took it back. Applying the
                    // block again would count its transfers twice.
                    return;
                }

                before.TryAdd(holder, old);
                holders[holder] = new HolderBalance(holder, (old?.Balance ?? BigInteger.Zero) + delta, log.Block, log.BlockTime)
                {
                    FirstBlock = old?.FirstBlock ?? log.Block,
                    ETag = old?.ETag ?? default,
                };
            }
        }

        foreach (HolderBalance written in await _store.WriteRangeAsync(cursor.Token, range.Logs, changes, [.. touched.Values], cancellationToken).ConfigureAwait(false))
        {
            holders[written.Holder] = written;
        }

        var hashes = new Dictionary<ulong, Hash32>(cursor.RecentHashes);
        foreach ((ulong block, Hash32 hash) in range.Hashes)
        {
            hashes[block] = hash;
        }

        ulong keepFrom = range.To >= (ulong)_options.ReorgWindow ? range.To - (ulong)_options.ReorgWindow + 1 : 0;
        foreach (ulong old in hashes.Keys.Where(b => b < keepFrom).ToList())
        {
            hashes.Remove(old);
        }

        return await _store.SaveCursorAsync(cursor with { LastBlock = range.To, RecentHashes = hashes }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ScanCursor> RollbackCursorAsync(ScanCursor cursor, ulong block, Dictionary<Address, HolderBalance> holders, CancellationToken cancellationToken)
    {
        // The cursor moves first: if the rollback is interrupted, the next start repeats it (it is idempotent).
        ScanCursor back = cursor with
        {
            LastBlock = block,
            RecentHashes = cursor.RecentHashes.Where(p => p.Key <= block).ToDictionary(p => p.Key, p => p.Value),
        };
        back = await _store.SaveCursorAsync(back, cancellationToken).ConfigureAwait(false);
        await _store.RollbackAsync(cursor.Token, block, holders, cancellationToken).ConfigureAwait(false);
        return back;
    }

    /// <summary>The block to roll back to when a recorded hash is no longer canonical, else null.</summary>
    private async Task<ulong?> FindReorgAsync(ScanCursor cursor, CancellationToken cancellationToken)
    {
        if (cursor.RecentHashes.Count == 0)
        {
            return null;
        }

        List<ulong> blocks = [.. cursor.RecentHashes.Keys.Order()];
        Dictionary<ulong, BlockHeader?> headers = await GetHeadersAsync(blocks, cancellationToken).ConfigureAwait(false);
        foreach (ulong block in blocks)
        {
            if (headers[block]?.Hash != cursor.RecentHashes[block])
            {
                // Blocks below the first mismatch are canonical (checked) or older than the window (final by assumption).
                return block - 1;
            }
        }

        return null;
    }

    private async Task<FetchedRange> FetchAsync(Address token, ulong from, ulong to, ulong head, CancellationToken cancellationToken)
    {
        ulong windowStart = head >= (ulong)_options.ReorgWindow ? head - (ulong)_options.ReorgWindow + 1 : 0;
        for (int attempt = 1; ; attempt++)
        {
            var splits = new StrongBox(0);
            List<LogEntry> raw = await GetLogsAsync(token, from, to, splits, cancellationToken).ConfigureAwait(false);
            var blocks = new SortedSet<ulong>(raw.Select(l => l.BlockNumber!.Value));
            for (ulong b = Math.Max(from, windowStart); b <= to; b++)
            {
                blocks.Add(b);
            }

            Dictionary<ulong, BlockHeader?> headers = await GetHeadersAsync([.. blocks], cancellationToken).ConfigureAwait(false);
            var logs = new List<TransferLog>(raw.Count);
            bool consistent = true;
            foreach (LogEntry log in raw)
            {
                BlockHeader? header = headers[log.BlockNumber!.Value];
                if (header is null || header.Hash != log.BlockHash)
                {
                    consistent = false;
                    break;
                }

                if (log.Topics.Count != 3 || log.Data.Length != 32)
                {
                    // Not an ERC-20 Transfer (ERC-721 indexes the token id as a 4th topic).
                    continue;
                }

                logs.Add(new TransferLog(
                    header.Number,
                    log.LogIndex!.Value,
                    log.TransactionHash!.Value,
                    header.Hash,
                    Address.FromBytes(log.Topics[1].ToArray().AsSpan(12)),
                    Address.FromBytes(log.Topics[2].ToArray().AsSpan(12)),
                    UInt256.FromBigEndian(log.Data),
                    DateTimeOffset.FromUnixTimeSeconds((long)header.Timestamp)));
            }

            if (consistent)
            {
                var hashes = headers.Where(p => p.Key >= windowStart && p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value!.Hash)).ToList();
                return new FetchedRange(from, to, logs, hashes, splits.Value);
            }

            if (attempt == FetchAttempts)
            {
                throw new ScanException($"Blocks {from}..{to} of {token} kept changing while they were read ({attempt} attempts); the chain is reorganising, scan again later.");
            }
        }
    }

    /// <summary>The lowest block in <paramref name="from"/>..<paramref name="to"/> with a Transfer log of the token, or null.</summary>
    private async Task<ulong?> FirstTransferBlockAsync(Address token, ulong from, ulong to, CancellationToken cancellationToken)
    {
        var filter = new LogFilter { FromBlock = from, ToBlock = to, Addresses = [token], Topics = [[s_transferTopic]] };
        try
        {
            IReadOnlyList<LogEntry> logs = await _rpc.GetLogsAsync(filter, cancellationToken).ConfigureAwait(false);
            return logs.Where(l => !l.Removed).Select(l => l.BlockNumber).Min();
        }
        catch (Exception ex) when (from < to && !cancellationToken.IsCancellationRequested && ProviderLimits.IsRangeLimit(ex))
        {
            ulong mid = from + ((to - from) / 2);
            return await FirstTransferBlockAsync(token, from, mid, cancellationToken).ConfigureAwait(false)
                ?? await FirstTransferBlockAsync(token, mid + 1, to, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<LogEntry>> GetLogsAsync(Address token, ulong from, ulong to, StrongBox splits, CancellationToken cancellationToken)
    {
        var filter = new LogFilter { FromBlock = from, ToBlock = to, Addresses = [token], Topics = [[s_transferTopic]] };
        try
        {
            IReadOnlyList<LogEntry> logs = await _rpc.GetLogsAsync(filter, cancellationToken).ConfigureAwait(false);
            return [.. logs.Where(l => !l.Removed)];
        }
        catch (Exception ex) when (from < to && !cancellationToken.IsCancellationRequested && ProviderLimits.IsRangeLimit(ex))
        {
            Interlocked.Increment(ref splits.Value);
            ulong mid = from + ((to - from) / 2);
            List<LogEntry> low = await GetLogsAsync(token, from, mid, splits, cancellationToken).ConfigureAwait(false);
            low.AddRange(await GetLogsAsync(token, mid + 1, to, splits, cancellationToken).ConfigureAwait(false));
            return low;
        }
    }

    private async Task<Dictionary<ulong, BlockHeader?>> GetHeadersAsync(IReadOnlyList<ulong> blocks, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<ulong, BlockHeader?>(blocks.Count);
        foreach (ulong[] chunk in blocks.Chunk(HeaderBatch))
        {
            JsonRpcBatch batch = _rpc.CreateBatch();
            Task<BlockHeader?>[] tasks = [.. chunk.Select(b => batch.Add<BlockHeader>("eth_getBlockByNumber", BlockParameter.FromNumber(b), false))];
            await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < chunk.Length; i++)
            {
                headers[chunk[i]] = await tasks[i].ConfigureAwait(false);
            }
        }

        return headers;
    }

    private async Task<(string Name, string Symbol, int Decimals)> ReadMetadataAsync(Address token, CancellationToken cancellationToken)
    {
        // name/symbol/decimals are optional in ERC-20: a token without them still scans.
        string name = await TryCallAsync(token, PlainTokenContract.Name(), o => PlainTokenContract.DecodeName(o), "", cancellationToken).ConfigureAwait(false);
        string symbol = await TryCallAsync(token, PlainTokenContract.Symbol(), o => PlainTokenContract.DecodeSymbol(o), "", cancellationToken).ConfigureAwait(false);
        int decimals = await TryCallAsync(token, PlainTokenContract.Decimals(), o => (int)PlainTokenContract.DecodeDecimals(o), 18, cancellationToken).ConfigureAwait(false);
        return (name, symbol, decimals);
    }

    private async Task<T> TryCallAsync<T>(Address token, byte[] data, Func<byte[], T> decode, T fallback, CancellationToken cancellationToken)
    {
        try
        {
            return decode(await _rpc.CallAsync(new CallRequest { To = token, Data = data }, BlockParameter.Latest, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is JsonRpcException or StoFunctions.Ethereum.Abi.AbiException)
        {
            return fallback;
        }
    }

    private sealed class StrongBox(int value)
    {
        public int Value = value;
    }

    private sealed record FetchedRange(ulong From, ulong To, List<TransferLog> Logs, List<KeyValuePair<ulong, Hash32>> Hashes, int Splits);
}
