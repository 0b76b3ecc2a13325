using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Ledger;

public sealed partial class NonceAllocator
{
    /// <summary>
    /// Gives the intents of several commands their nonces with as few entity-group transactions as possible:
    /// whole commands are packed together (≤ 49 intents per transaction, the same ETag-guarded account row),
    /// so N concurrent one-transfer commands cost about N / 49 account-row rounds instead of N contended ones.
    /// Commands whose intents refer to earlier creations, or that have more intents than one transaction holds,
    /// are allocated one by one as in <see cref="AllocateAsync"/>. Business keys keep their nonce as there; a
    /// command with a business key that holds other content (stored earlier, or earlier in this batch) is
    /// refused as a whole and gets no nonce.
    /// </summary>
    /// <param name="lane">The sending lane.</param>
    /// <param name="commands">The commands (distinct ids) with their intents in order.</param>
    /// <param name="chainPendingCount">The chain's pending transaction count of the sender (the floor).</param>
    /// <param name="cancellationToken">Cancels between transactions.</param>
    /// <param name="firstWritten">
    /// Called with a command's index when the first entity-group transaction of a command that needs several has been
    /// written and more follow: its first transactions may be sent while the rest are allocated.
    /// </param>
    /// <returns>Per command (same order), its nonces or its conflicts.</returns>
    public async Task<CommandAllocation[]> AllocateManyAsync(LaneId lane, IReadOnlyList<(string CommandId, IReadOnlyList<TransactionIntent> Intents)> commands, ulong chainPendingCount, CancellationToken cancellationToken = default, Action<int>? firstWritten = null)
    {
        string[][] keys = [.. commands.Select(c => KeysOf(c.CommandId, c.Intents))];
        string[] distinctKeys = [.. keys.SelectMany(k => k).Distinct(StringComparer.Ordinal)];
        // A key is left unread only when every intent that uses it was planned against its absence.
        var readNeeded = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < commands.Count; c++)
        {
            for (int i = 0; i < keys[c].Length; i++)
            {
                if (!commands[c].Intents[i].KeyAbsentWhenPlanned)
                {
                    readNeeded.Add(keys[c][i]);
                }
            }
        }

        (TableEntity?[] read, LedgerAccount? account) = await ReadKeysAsync(lane, distinctKeys, [.. distinctKeys.Select(k => !readNeeded.Contains(k))], cancellationToken).ConfigureAwait(false);
        var stored = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        for (int k = 0; k < distinctKeys.Length; k++)
        {
            if (read[k] is { } row)
            {
                stored[distinctKeys[k]] = row;
            }
        }

        var results = new ulong?[commands.Count][];
        var conflicts = new List<BusinessKeyConflict>[commands.Count];
        var claimed = new Dictionary<string, (string CommandId, string? Content)>(StringComparer.Ordinal);
        var packable = new List<int>();
        var single = new List<int>();
        for (int c = 0; c < commands.Count; c++)
        {
            IReadOnlyList<TransactionIntent> intents = commands[c].Intents;
            results[c] = new ulong?[intents.Count];
            conflicts[c] = [];
            for (int i = 0; i < intents.Count; i++)
            {
                string key = keys[c][i];
                if (stored.TryGetValue(key, out TableEntity? row))
                {
                    if (Compare(i, intents[i], key, row) is { } conflict)
                    {
                        conflicts[c].Add(conflict);
                    }

                    results[c][i] = (ulong)row.GetInt64("Nonce")!.Value;
                }
                else if (claimed.TryGetValue(key, out var earlier) && intents[i].Content is { } content && earlier.Content is { } had && had != content)
                {
                    // Two commands of one batch with one new business key: the first keeps it, like the earlier of two
                    // sequential submissions would.
                    conflicts[c].Add(new BusinessKeyConflict(i, intents[i].ErrorField, key, earlier.CommandId, 0, had + " (being planned now)", content));
                }
            }

            if (conflicts[c].Count > 0)
            {
                continue;
            }

            for (int i = 0; i < intents.Count; i++)
            {
                claimed.TryAdd(keys[c][i], (commands[c].CommandId, intents[i].Content));
            }

            (intents.Count <= MaxIntentsPerBatch && !intents.Any(i => i.ToCreatedBy is not null || i.DataFactory is not null) ? packable : single).Add(c);
        }

        await AllocatePackedAsync(lane, account, commands, keys, packable, results, conflicts, chainPendingCount, cancellationToken).ConfigureAwait(false);
        foreach (int c in single)
        {
            try
            {
                await AllocateRestAsync(lane, commands[c].CommandId, commands[c].Intents, keys[c], results[c], chainPendingCount, cancellationToken, firstWritten is null ? null : () => firstWritten(c)).ConfigureAwait(false);
            }
            catch (BusinessKeyConflictException e)
            {
                conflicts[c].AddRange(e.Conflicts);
            }
        }

        return [.. Enumerable.Range(0, commands.Count).Select(c => conflicts[c].Count > 0
            ? new CommandAllocation([], conflicts[c])
            : new CommandAllocation([.. results[c].Select(n => n!.Value)], []))];
    }

    // Rounds lost to another producer are retried without limit, as in AllocateRestAsync: each one means another
    // allocation succeeded, so heavy but finite contention delays this batch and never fails it. The first round
    // uses the account row read with the business keys and each later one the row its predecessor wrote (its ETag
    // came back): one storage round trip per chunk, where a stale guess costs a 412 and a re-read, never a wrong nonce.
    private async Task AllocatePackedAsync(LaneId lane, LedgerAccount? known, IReadOnlyList<(string CommandId, IReadOnlyList<TransactionIntent> Intents)> commands, string[][] keys, List<int> packable, ulong?[][] results, List<BusinessKeyConflict>[] conflicts, ulong chainPendingCount, CancellationToken cancellationToken)
    {
        var random = new Random();
        var allocated = new HashSet<int>();
        bool fresh = true;
        for (int contended = 0; ;)
        {
            List<(int Command, int Intent, string Key)> chunk = NextChunk(commands, keys, packable, results);
            if (chunk.Count == 0)
            {
                return;
            }

            // A known row below the chain's count may just be stale (another instance allocated and sent since): only a
            // fresh read may refuse the batch as unreconciled.
            LedgerAccount? account = fresh && chainPendingCount <= (known?.NextNonce ?? 0) ? known : await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
            fresh = false;
            RefuseUnreconciled(lane, account, chainPendingCount);
            ulong next = Math.Max(account?.NextNonce ?? 0, chainPendingCount);
            LedgerAccount updated = Advanced(account, next, chunk.Count);
            var actions = new List<TableTransactionAction> { AccountAction(lane, account, updated) };
            var entryByKeyAction = new Dictionary<int, int>();
            DateTimeOffset now = DateTimeOffset.UtcNow;
            for (int k = 0; k < chunk.Count; k++)
            {
                (int command, int index, string key) = chunk[k];
                TransactionIntent intent = commands[command].Intents[index];
                LedgerTransaction tx = PlannedRow(intent, intent.To, intent.Data, next + (ulong)k, commands[command].CommandId, index, key, now);
                entryByKeyAction[AddRowAndKey(actions, lane, tx, intent.Content)] = k;
            }

            try
            {
                Response<IReadOnlyList<Response>> written = await _ledger.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                for (int k = 0; k < chunk.Count; k++)
                {
                    results[chunk[k].Command][chunk[k].Intent] = next + (ulong)k;
                    allocated.Add(chunk[k].Command);
                }

                updated.ETag = written.Value[0].Headers.ETag.GetValueOrDefault();
                known = updated;
                fresh = true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int failed && entryByKeyAction.TryGetValue(failed, out int duplicate))
            {
                // As in AllocateRestAsync: the business key already holds a nonce, so adopt it and retry the rest —
                // or, when it holds other content and nothing of the command is allocated yet, refuse the command.
                (int command, int index, string key) = chunk[duplicate];
                TableEntity existing = await _ledger.TryGetBusinessKeyAsync(lane, key, cancellationToken).ConfigureAwait(false)
                    ?? throw new PipelineException($"The batch failed at the idempotency row of '{key}' but the row does not exist; status {e.Status} {e.ErrorCode}.", e);
                if (!allocated.Contains(command) && Compare(index, commands[command].Intents[index], key, existing) is { } conflict)
                {
                    conflicts[command].Add(conflict);
                    packable.Remove(command);
                    continue;
                }

                results[command][index] = (ulong)existing.GetInt64("Nonce")!.Value;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                contended++;
                await Task.Delay(random.Next(1, 10 + (Math.Min(contended, 20) * 5)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Whole commands in submission order while they fit one entity-group transaction. A business key may appear
    // once per transaction (two Adds of one row fail the whole group), so a repeat waits for the next one and
    // then adopts the nonce the first occurrence got.
    private static List<(int Command, int Intent, string Key)> NextChunk(IReadOnlyList<(string CommandId, IReadOnlyList<TransactionIntent> Intents)> commands, string[][] keys, List<int> packable, ulong?[][] results)
    {
        var chunk = new List<(int Command, int Intent, string Key)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (int c in packable)
        {
            var open = new List<(int Command, int Intent, string Key)>();
            for (int i = 0; i < results[c].Length; i++)
            {
                string key = keys[c][i];
                if (results[c][i] is null && !used.Contains(key))
                {
                    open.Add((c, i, key));
                }
            }

            if (chunk.Count + open.Count > MaxIntentsPerBatch)
            {
                if (chunk.Count == 0)
                {
                    chunk.AddRange(open.Take(MaxIntentsPerBatch));
                }

                break;
            }

            foreach ((int Command, int Intent, string Key) entry in open)
            {
                if (used.Add(entry.Key))
                {
                    chunk.Add(entry);
                }
            }
        }

        return chunk;
    }
}
