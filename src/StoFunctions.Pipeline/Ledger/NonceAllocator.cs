using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// Allocates nonces to a command's intents: ONE entity-group transaction per chunk in the lane's partition
/// (account row with If-Match + transaction rows + idempotency rows), so two producers on any instances never
/// get the same nonce, a business key never gets two nonces (invariant 2), and a crash leaves either all or
/// none of a chunk. Floor semantics: never below max(ledger next, chain pending count).
/// </summary>
public sealed partial class NonceAllocator
{
    // account row + (transaction row + idempotency row) per intent ≤ 100 actions.
    internal const int MaxIntentsPerBatch = (StorageLimits.MaxTransactionActions - 1) / 2;

    private readonly LedgerTable _ledger;

    /// <summary>Creates the allocator over the ledger.</summary>
    public NonceAllocator(LedgerTable ledger)
    {
        _ledger = ledger;
    }

    /// <summary>
    /// Gives every intent a nonce (or finds the nonce its business key already holds) and persists the
    /// transaction rows in state Planned. Intents referring to an earlier creation must be in one chunk
    /// (≤ 49 intents per command with references), so predicted addresses and nonces are fixed together.
    /// </summary>
    /// <param name="lane">The sending lane.</param>
    /// <param name="commandId">The owning command.</param>
    /// <param name="intents">The command's intents in order.</param>
    /// <param name="chainPendingCount">The chain's pending transaction count of the sender (the floor).</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>The nonce of each intent, by intent index.</returns>
    /// <exception cref="BusinessKeyConflictException">A business key already holds other content; nothing was allocated.</exception>
    public async Task<ulong[]> AllocateAsync(LaneId lane, string commandId, IReadOnlyList<TransactionIntent> intents, ulong chainPendingCount, CancellationToken cancellationToken = default)
    {
        string[] keys = KeysOf(commandId, intents);
        (TableEntity?[] existing, _) = await ReadKeysAsync(lane, keys, [.. intents.Select(i => i.KeyAbsentWhenPlanned)], cancellationToken).ConfigureAwait(false);
        ThrowIfConflicting(intents, keys, existing);
        var nonces = new ulong?[intents.Count];
        for (int i = 0; i < intents.Count; i++)
        {
            if (existing[i] is { } row)
            {
                nonces[i] = (ulong)row.GetInt64("Nonce")!.Value;
            }
        }

        return await AllocateRestAsync(lane, commandId, intents, keys, nonces, chainPendingCount, cancellationToken).ConfigureAwait(false);
    }

    // Allocates the intents whose nonce is still null. Rounds lost to another producer (412/409 on the account
    // row) are retried without limit: each one means some other allocation succeeded, so under heavy but finite
    // contention this always finishes; a round that adopts a business key is progress too. firstWritten is called
    // once, after the first chunk written when more remain.
    private async Task<ulong[]> AllocateRestAsync(LaneId lane, string commandId, IReadOnlyList<TransactionIntent> intents, string[] keys, ulong?[] nonces, ulong chainPendingCount, CancellationToken cancellationToken, Action? firstWritten = null)
    {
        bool hasReferences = intents.Any(i => i.ToCreatedBy is not null || i.DataFactory is not null);
        if (hasReferences && intents.Count > MaxIntentsPerBatch)
        {
            throw new PipelineException($"A command whose intents refer to created contracts may have at most {MaxIntentsPerBatch} intents (one entity-group transaction); it has {intents.Count}. Split it into two commands.");
        }

        var random = new Random();
        LedgerAccount? account = null;
        bool known = false;
        bool allocatedAny = false;
        for (int contended = 0; ;)
        {
            int[] pending = [.. Enumerable.Range(0, intents.Count).Where(i => nonces[i] is null)];
            if (pending.Length == 0)
            {
                return [.. nonces.Select(n => n!.Value)];
            }

            // After our own successful batch the account row is what we wrote (its ETag came back), so the next chunk
            // needs no read; a stale guess only costs a 412 and a re-read, never a wrong nonce.
            if (!known)
            {
                account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
            }

            known = false;
            RefuseUnreconciled(lane, account, chainPendingCount);
            ulong next = Math.Max(account?.NextNonce ?? 0, chainPendingCount);
            int[] chunk = [.. pending.Take(MaxIntentsPerBatch)];
            var actions = new List<TableTransactionAction>();
            var chunkIndexByAction = new Dictionary<int, int>();
            LedgerAccount updated = Advanced(account, next, chunk.Length);
            actions.Add(AccountAction(lane, account, updated));

            PlannedAddresses addresses = PredictAddresses(lane.Sender, intents, chunk, next, nonces);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            for (int k = 0; k < chunk.Length; k++)
            {
                int index = chunk[k];
                TransactionIntent intent = intents[index];
                Address? to = intent.ToCreatedBy is int target ? addresses.CreatedBy(target) : intent.To;
                byte[] data = intent.DataFactory?.Invoke(addresses) ?? intent.Data;
                LedgerTransaction tx = PlannedRow(intent, to, data, next + (ulong)k, commandId, index, keys[index], now);
                chunkIndexByAction[AddRowAndKey(actions, lane, tx, intent.Content)] = index;
            }

            try
            {
                IReadOnlyList<ETag> etags = [.. (await _ledger.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false)).Value.Select(r => r.Headers.ETag.GetValueOrDefault())];
                for (int k = 0; k < chunk.Length; k++)
                {
                    nonces[chunk[k]] = next + (ulong)k;
                }

                if (!allocatedAny && pending.Length > chunk.Length)
                {
                    firstWritten?.Invoke();
                }

                allocatedAny = true;
                updated.ETag = etags[0];
                account = updated;
                known = true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int failed && chunkIndexByAction.TryGetValue(failed, out int duplicate))
            {
                // The business key already holds a nonce (another producer got there between our read and now, or a
                // crash after the batch): adopt it, drop the intent from the batch and retry the rest (invariant 2) —
                // unless it holds other content, which refuses the command while none of it is allocated yet.
                TableEntity existing = await _ledger.TryGetBusinessKeyAsync(lane, keys[duplicate], cancellationToken).ConfigureAwait(false)
                    ?? throw new PipelineException($"The batch failed at the idempotency row of '{keys[duplicate]}' but the row does not exist; status {e.Status} {e.ErrorCode}.", e);
                if (!allocatedAny && Compare(duplicate, intents[duplicate], keys[duplicate], existing) is { } conflict)
                {
                    throw new BusinessKeyConflictException([conflict]);
                }

                nonces[duplicate] = (ulong)existing.GetInt64("Nonce")!.Value;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another producer moved the account row first; re-read it and try again after a short jitter.
                contended++;
                await Task.Delay(random.Next(1, 10 + (Math.Min(contended, 20) * 5)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The business key of each intent: its own, else <c>{commandId}/{index}</c>.</summary>
    private static string[] KeysOf(string commandId, IReadOnlyList<TransactionIntent> intents) =>
        [.. intents.Select((intent, i) => intent.BusinessKey ?? $"{commandId}/{i}")];

    /// <summary>
    /// The idempotency rows of <paramref name="keys"/> (null where none exists), read up front so keys that
    /// already hold nonces are adopted without one failed entity-group round each (a re-planned 1,000-row
    /// distribution used to need 1,000 rounds) and their content can be compared before anything is written;
    /// and the account row as read before them, which a caller may use for its first allocation round. Keys the
    /// planner already found absent (<paramref name="absent"/>) are not read: they are null here, and one written
    /// since is met by the failed insert of its row.
    /// </summary>
    private async Task<(TableEntity?[] Rows, LedgerAccount? Account)> ReadKeysAsync(LaneId lane, IReadOnlyList<string> keys, IReadOnlyList<bool> absent, CancellationToken cancellationToken)
    {
        LedgerAccount? account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
        int[] unknown = [.. Enumerable.Range(0, keys.Count).Where(k => !absent[k])];
        var rows = new TableEntity?[keys.Count];
        TableEntity?[] read = await _ledger.GetBusinessKeysAsync(lane, [.. unknown.Select(k => keys[k])], LedgerTable.RowsOf(account), cancellationToken).ConfigureAwait(false);
        for (int u = 0; u < unknown.Length; u++)
        {
            rows[unknown[u]] = read[u];
        }

        return (rows, account);
    }

    /// <summary>
    /// Refuses a command whose business keys already hold other content, as its allocation would, without writing
    /// anything: for a submitter answered before the allocation (<c>CommandRequest.AnswerWhenAdmitted</c>), so a
    /// changed amount for a used external id is still a 409 rather than a command that fails after its 202. Keys the
    /// planner found absent are not read; one taken since then is found by the allocation itself.
    /// </summary>
    /// <exception cref="BusinessKeyConflictException">A business key already holds other content.</exception>
    public async Task ThrowIfConflictingAsync(LaneId lane, string commandId, IReadOnlyList<TransactionIntent> intents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intents);
        if (intents.All(i => i.KeyAbsentWhenPlanned || i.BusinessKey is null))
        {
            return;
        }

        string[] keys = KeysOf(commandId, intents);
        (TableEntity?[] existing, _) = await ReadKeysAsync(lane, keys, [.. intents.Select(i => i.KeyAbsentWhenPlanned)], cancellationToken).ConfigureAwait(false);
        ThrowIfConflicting(intents, keys, existing);
    }

    private static void ThrowIfConflicting(IReadOnlyList<TransactionIntent> intents, string[] keys, TableEntity?[] existing)
    {
        var conflicts = new List<BusinessKeyConflict>();
        for (int i = 0; i < intents.Count; i++)
        {
            if (existing[i] is { } row && Compare(i, intents[i], keys[i], row) is { } conflict)
            {
                conflicts.Add(conflict);
            }
        }

        if (conflicts.Count > 0)
        {
            throw new BusinessKeyConflictException(conflicts);
        }
    }

    /// <summary>A conflict when both the stored and the new content are known and differ (rows written before contents were stored compare as equal).</summary>
    private static BusinessKeyConflict? Compare(int index, TransactionIntent intent, string key, TableEntity existing)
    {
        string? had = existing.GetString("Content");
        return intent.Content is null || had is null || string.Equals(had, intent.Content, StringComparison.Ordinal)
            ? null
            : new BusinessKeyConflict(index, intent.ErrorField, key, existing.GetString("CommandId") ?? "", (ulong)(existing.GetInt64("Nonce") ?? 0), had, intent.Content);
    }

    /// <summary>
    /// Invariant 0: a chain nonce above the ledger's next nonce means transactions the ledger does not know (a lost
    /// or restored ledger, another wallet); business keys among them would be planned twice if the floor simply
    /// jumped over them. The caller reconciles first (<c>LedgerReconciler</c>); this guard, checked on the account
    /// row the ETag-guarded batch is based on, refuses (retryable) if it did not or a gap opened meanwhile.
    /// </summary>
    private static void RefuseUnreconciled(LaneId lane, LedgerAccount? account, ulong chainPendingCount)
    {
        ulong ledgerNext = account?.NextNonce ?? 0;
        if (chainPendingCount > ledgerNext)
        {
            throw new LedgerBehindChainException(lane, ledgerNext, chainPendingCount, "the ledger was not reconciled with the chain");
        }
    }

    /// <summary>The account row after allocating <paramref name="count"/> nonces from <paramref name="next"/>.</summary>
    private static LedgerAccount Advanced(LedgerAccount? account, ulong next, int count) => new()
    {
        NextNonce = next + (ulong)count,
        FirstNonce = account?.FirstNonce ?? next,
        OpenFrom = account?.OpenFrom ?? 0,
        Restarts = account?.Restarts ?? 0,
        ETag = account?.ETag ?? default,
    };

    /// <summary>Adds the account row, or replaces it If-Match its read ETag: the guard that serialises producers.</summary>
    private static TableTransactionAction AccountAction(LaneId lane, LedgerAccount? read, LedgerAccount updated)
    {
        TableEntity entity = LedgerRows.ToEntity(lane, updated);
        return read is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, read.ETag);
    }

    /// <summary>
    /// The Planned ledger row of one intent, refused when its data exceeds what a table row stores. This is the one
    /// place the business-key tag is appended (and its gas added), so signing, gas checks and the chain see the
    /// final bytes (invariant 0).
    /// </summary>
    private static LedgerTransaction PlannedRow(TransactionIntent intent, Address? to, byte[] data, ulong nonce, string commandId, int index, string businessKey, DateTimeOffset now)
    {
        ulong gasLimit = intent.GasLimit;
        if (!intent.OmitTag)
        {
            data = BusinessKeyTag.Append(data, businessKey);
            gasLimit += BusinessKeyTag.Gas;
        }

        if (data.Length > LedgerRows.MaxDataBytes)
        {
            throw new PipelineException($"Intent {index} of command {commandId} carries {data.Length} bytes of data; the ledger stores at most {LedgerRows.MaxDataBytes} (EIP-3860 limits init code to 49152).");
        }

        return new LedgerTransaction
        {
            Nonce = nonce,
            State = TransactionState.Planned,
            To = to,
            Data = data,
            Value = intent.Value,
            GasLimit = gasLimit,
            Note = intent.Note,
            CommandId = commandId,
            IntentIndex = index,
            BusinessKey = businessKey,
            OutputName = intent.OutputName,
            CreatedTime = now,
            UpdatedTime = now,
        };
    }

    /// <summary>
    /// Adds the transaction row and its business-key row (which makes a second nonce for the key fail the whole
    /// batch, invariant 2); returns the index of the business-key action, the one a duplicate key fails at.
    /// </summary>
    private static int AddRowAndKey(List<TableTransactionAction> actions, LaneId lane, LedgerTransaction tx, string? content)
    {
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LedgerRows.ToEntity(lane, tx)));
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(lane.PartitionKey, CommandKeys.BusinessKeyRow(tx.BusinessKey!))
        {
            ["Nonce"] = (long)tx.Nonce,
            ["CommandId"] = tx.CommandId,
            ["BusinessKey"] = tx.BusinessKey,
            ["Content"] = content,
        }));
        return actions.Count - 1;
    }

    private static PlannedAddresses PredictAddresses(Address sender, IReadOnlyList<TransactionIntent> intents, int[] chunk, ulong next, ulong?[] known)
    {
        var created = new Dictionary<int, Address>();
        for (int i = 0; i < intents.Count; i++)
        {
            if (!intents[i].IsCreation)
            {
                continue;
            }

            int position = Array.IndexOf(chunk, i);
            ulong? nonce = position >= 0 ? next + (ulong)position : known[i];
            if (nonce is ulong n)
            {
                created[i] = ContractAddress.Create(sender, n);
            }
        }

        return new PlannedAddresses(created);
    }
}
