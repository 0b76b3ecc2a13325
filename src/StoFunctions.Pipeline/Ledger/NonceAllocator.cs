using Azure;
using StoFunctions.Azure.Storage.Tables;
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
    internal const int MaxIntentsPerBatch = (TableClient.MaxTransactionActions - 1) / 2;

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
    public async Task<ulong[]> AllocateAsync(LaneId lane, string commandId, IReadOnlyList<TransactionIntent> intents, ulong chainPendingCount, CancellationToken cancellationToken = default)
    {
        bool hasReferences = intents.Any(i => i.ToCreatedBy is not null || i.DataFactory is not null);
        if (hasReferences && intents.Count > MaxIntentsPerBatch)
        {
            throw new PipelineException($"A command whose intents refer to created contracts may have at most {MaxIntentsPerBatch} intents (one entity-group transaction); it has {intents.Count}. Split it into two commands.");
        }

        var nonces = new ulong?[intents.Count];
        string[] keys = [.. intents.Select((intent, i) => intent.BusinessKey ?? $"{commandId}/{i}")];
        var random = new Random();
        LedgerAccount? account = null;
        bool known = false;
        for (int round = 0; ; round++)
        {
            int[] pending = [.. Enumerable.Range(0, intents.Count).Where(i => nonces[i] is null)];
            if (pending.Length == 0)
            {
                return [.. nonces.Select(n => n!.Value)];
            }

            if (round > 200)
            {
                throw new PipelineException($"Nonce allocation for command {commandId} on lane {lane} did not succeed after {round} rounds of contention; retry the command later.");
            }

            // After our own successful batch the account row is what we wrote (its ETag came back), so the next chunk
            // needs no read; a stale guess only costs a 412 and a re-read, never a wrong nonce.
            if (!known)
            {
                account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
            }

            known = false;
            ulong next = Math.Max(account?.NextNonce ?? 0, chainPendingCount);
            int[] chunk = [.. pending.Take(MaxIntentsPerBatch)];
            var actions = new List<TableTransactionAction>();
            var chunkIndexByAction = new Dictionary<int, int>();
            var updated = new LedgerAccount
            {
                NextNonce = next + (ulong)chunk.Length,
                FirstNonce = account?.FirstNonce ?? next,
                Restarts = account?.Restarts ?? 0,
                ETag = account?.ETag ?? default,
            };
            TableEntity accountEntity = LedgerRows.ToEntity(lane, updated);
            actions.Add(account is null
                ? new TableTransactionAction(TableTransactionActionType.Add, accountEntity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, accountEntity, account.ETag));

            PlannedAddresses addresses = PredictAddresses(lane.Sender, intents, chunk, next, nonces);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            for (int k = 0; k < chunk.Length; k++)
            {
                int index = chunk[k];
                TransactionIntent intent = intents[index];
                ulong nonce = next + (ulong)k;
                var tx = new LedgerTransaction
                {
                    Nonce = nonce,
                    State = TransactionState.Planned,
                    To = intent.ToCreatedBy is int target ? addresses.CreatedBy(target) : intent.To,
                    Data = intent.DataFactory?.Invoke(addresses) ?? intent.Data,
                    Value = intent.Value,
                    GasLimit = intent.GasLimit,
                    Note = intent.Note,
                    CommandId = commandId,
                    IntentIndex = index,
                    BusinessKey = keys[index],
                    OutputName = intent.OutputName,
                    CreatedTime = now,
                    UpdatedTime = now,
                };
                if (tx.Data.Length > LedgerRows.MaxDataBytes)
                {
                    throw new PipelineException($"Intent {index} of command {commandId} carries {tx.Data.Length} bytes of data; the ledger stores at most {LedgerRows.MaxDataBytes} (EIP-3860 limits init code to 49152).");
                }

                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LedgerRows.ToEntity(lane, tx)));
                chunkIndexByAction[actions.Count] = index;
                var key = new TableEntity(lane.PartitionKey, CommandKeys.BusinessKeyRow(keys[index]))
                {
                    ["Nonce"] = (long)nonce,
                    ["CommandId"] = commandId,
                    ["BusinessKey"] = keys[index],
                };
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, key));
            }

            try
            {
                IReadOnlyList<ETag> etags = (await _ledger.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false)).Value;
                for (int k = 0; k < chunk.Length; k++)
                {
                    nonces[chunk[k]] = next + (ulong)k;
                }

                updated.ETag = etags[0];
                account = updated;
                known = true;
            }
            catch (TableTransactionFailedException e) when (e.FailedActionIndex is int failed && chunkIndexByAction.TryGetValue(failed, out int duplicate))
            {
                // The business key already holds a nonce (an earlier submission or a crash after the batch):
                // adopt it, drop the intent from the batch and retry the rest (invariant 2).
                TableEntity existing = await _ledger.TryGetAsync(lane.PartitionKey, CommandKeys.BusinessKeyRow(keys[duplicate]), cancellationToken).ConfigureAwait(false)
                    ?? throw new PipelineException($"The batch failed at the idempotency row of '{keys[duplicate]}' but the row does not exist; status {e.Status} {e.ErrorCode}.", e);
                nonces[duplicate] = (ulong)existing.GetInt64("Nonce")!.Value;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another producer moved the account row first; re-read it and try again after a short jitter.
                await Task.Delay(random.Next(1, 10 + Math.Min(round, 20) * 5), cancellationToken).ConfigureAwait(false);
            }
        }
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
