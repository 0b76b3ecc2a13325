using Azure;
using StoFunctions.Azure.Storage.Tables;
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
    /// are allocated one by one with <see cref="AllocateAsync"/>. Business keys keep their nonce as there.
    /// </summary>
    /// <param name="lane">The sending lane.</param>
    /// <param name="commands">The commands (distinct ids) with their intents in order.</param>
    /// <param name="chainPendingCount">The chain's pending transaction count of the sender (the floor).</param>
    /// <param name="cancellationToken">Cancels between transactions.</param>
    /// <returns>Per command (same order), the nonce of each intent by intent index.</returns>
    public async Task<ulong[][]> AllocateManyAsync(LaneId lane, IReadOnlyList<(string CommandId, IReadOnlyList<TransactionIntent> Intents)> commands, ulong chainPendingCount, CancellationToken cancellationToken = default)
    {
        var results = new ulong?[commands.Count][];
        var packable = new List<int>();
        for (int c = 0; c < commands.Count; c++)
        {
            results[c] = new ulong?[commands[c].Intents.Count];
            IReadOnlyList<TransactionIntent> intents = commands[c].Intents;
            if (intents.Count <= MaxIntentsPerBatch && !intents.Any(i => i.ToCreatedBy is not null || i.DataFactory is not null))
            {
                packable.Add(c);
            }
        }

        await AllocatePackedAsync(lane, commands, packable, results, chainPendingCount, cancellationToken).ConfigureAwait(false);
        var nonces = new ulong[commands.Count][];
        for (int c = 0; c < commands.Count; c++)
        {
            nonces[c] = packable.Contains(c)
                ? [.. results[c].Select(n => n!.Value)]
                : await AllocateAsync(lane, commands[c].CommandId, commands[c].Intents, chainPendingCount, cancellationToken).ConfigureAwait(false);
        }

        return nonces;
    }

    private async Task AllocatePackedAsync(LaneId lane, IReadOnlyList<(string CommandId, IReadOnlyList<TransactionIntent> Intents)> commands, List<int> packable, ulong?[][] results, ulong chainPendingCount, CancellationToken cancellationToken)
    {
        var random = new Random();
        int contention = 0;
        for (int round = 0; ; round++)
        {
            List<(int Command, int Intent, string Key)> chunk = NextChunk(commands, packable, results);
            if (chunk.Count == 0)
            {
                return;
            }

            // Only lost races count: a retry meets one existing business key per round.
            if (contention > 200 + packable.Count)
            {
                throw new PipelineException($"Nonce allocation for {packable.Count} commands on lane {lane} did not succeed after {contention} rounds of contention; retry the commands later.");
            }

            LedgerAccount? account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
            RefuseUnreconciled(lane, account, chainPendingCount);
            ulong next = Math.Max(account?.NextNonce ?? 0, chainPendingCount);
            var actions = new List<TableTransactionAction> { AccountAction(lane, account, Advanced(account, next, chunk.Count)) };
            var entryByKeyAction = new Dictionary<int, int>();
            DateTimeOffset now = DateTimeOffset.UtcNow;
            for (int k = 0; k < chunk.Count; k++)
            {
                (int command, int index, string key) = chunk[k];
                TransactionIntent intent = commands[command].Intents[index];
                LedgerTransaction tx = PlannedRow(intent, intent.To, intent.Data, next + (ulong)k, commands[command].CommandId, index, key, now);
                entryByKeyAction[AddRowAndKey(actions, lane, tx)] = k;
            }

            try
            {
                await _ledger.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                for (int k = 0; k < chunk.Count; k++)
                {
                    results[chunk[k].Command][chunk[k].Intent] = next + (ulong)k;
                }
            }
            catch (TableTransactionFailedException e) when (e.FailedActionIndex is int failed && entryByKeyAction.TryGetValue(failed, out int duplicate))
            {
                // As in AllocateAsync: the business key already holds a nonce, so adopt it and retry the rest.
                (int command, int index, string key) = chunk[duplicate];
                TableEntity existing = await _ledger.TryGetAsync(lane.PartitionKey, CommandKeys.BusinessKeyRow(key), cancellationToken).ConfigureAwait(false)
                    ?? throw new PipelineException($"The batch failed at the idempotency row of '{key}' but the row does not exist; status {e.Status} {e.ErrorCode}.", e);
                results[command][index] = (ulong)existing.GetInt64("Nonce")!.Value;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                contention++;
                await Task.Delay(random.Next(1, 10 + (Math.Min(round, 20) * 5)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Whole commands in submission order while they fit one entity-group transaction. A business key may appear
    // once per transaction (two Adds of one row fail the whole group), so a repeat waits for the next one and
    // then adopts the nonce the first occurrence got.
    private static List<(int Command, int Intent, string Key)> NextChunk(IReadOnlyList<(string CommandId, IReadOnlyList<TransactionIntent> Intents)> commands, List<int> packable, ulong?[][] results)
    {
        var chunk = new List<(int Command, int Intent, string Key)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (int c in packable)
        {
            var open = new List<(int Command, int Intent, string Key)>();
            for (int i = 0; i < results[c].Length; i++)
            {
                string key = commands[c].Intents[i].BusinessKey ?? $"{commands[c].CommandId}/{i}";
                if (results[c][i] is null && !keys.Contains(key))
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
                if (keys.Add(entry.Key))
                {
                    chunk.Add(entry);
                }
            }
        }

        return chunk;
    }
}
