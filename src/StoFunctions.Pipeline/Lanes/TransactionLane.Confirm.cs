using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

public sealed partial class TransactionLane
{
    private const int ReceiptBatchSize = 200;

    /// <summary>
    /// Reads, in JSON-RPC batches, the receipts of every attempt of the mined rows, of the rows this step sent and of the
    /// sent rows the chain's nonce has passed; moves rows to Mined, to Confirmed/Failed at depth ≥ K after re-checking
    /// the block hash (invariant 5), back to Broadcast when a receipt left the canonical chain, and reconciles rows
    /// whose nonce the chain passed without a receipt of ours.
    /// </summary>
    /// <remarks>Changes join <paramref name="groups"/>, which the step writes.</remarks>
    private async Task TrackReceiptsAsync(ChainFacts facts, List<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        // A sent row has a receipt only once the chain's nonce has passed it. Rows this step sent are asked about at
        // once (a dev chain mines on arrival, and a row sent and confirmed in one step is written once); rows sent
        // earlier that the nonce this step read has not passed wait for a later step, instead of every step asking the
        // node for the whole window's receipts (256 on a dev chain) while it mines a few of them.
        List<LaneEntry> watched = [.. _open.Values.Where(e =>
            e.Tx.State is TransactionState.Mined || e.MaybeSent || e.NeedsReconcile
            || (e.Tx.State is TransactionState.Broadcast or TransactionState.Signed && facts.LatestNonce > e.Tx.Nonce)
            || (e.Tx.State is TransactionState.Broadcast && e.Highest?.LastSent >= _stepStarted))];
        if (watched.Count == 0)
        {
            return;
        }

        (Dictionary<Hash32, TransactionReceipt?> receipts, ulong head) = await GetReceiptsAsync(watched.SelectMany(HashesOf), cancellationToken).ConfigureAwait(false);

        // The head read with the receipts lets rows mined during this step reach depth K now instead of one step
        // later; a head read before a receipt's block only delays the confirmation, and ConfirmDeepAsync still
        // re-checks the block hash at that height.
        ulong depthHead = Math.Max(facts.Head, head);
        int before = groups.Count;
        var deep = new List<(LaneEntry Entry, TransactionReceipt Receipt)>();
        var reconcile = new List<LaneEntry>();
        foreach (LaneEntry entry in watched)
        {
            LedgerTransaction tx = entry.Tx;
            TransactionReceipt? receipt = HashesOf(entry).Select(h => receipts.GetValueOrDefault(h)).FirstOrDefault(r => r is not null);
            if (receipt is not null)
            {
                entry.NeedsReconcile = false;
                entry.MaybeSent = false;
                entry.ReconcileMisses = 0;
                if (tx.State != TransactionState.Mined || tx.MinedHash != receipt.TransactionHash || tx.BlockHash != receipt.BlockHash)
                {
                    TransactionStates.EnsureCanMove(tx.State, TransactionState.Mined, tx.Nonce);
                    tx.State = TransactionState.Mined;
                    tx.MinedHash = receipt.TransactionHash;
                    tx.BlockNumber = receipt.BlockNumber;
                    tx.BlockHash = receipt.BlockHash;
                    tx.ContractAddress = receipt.ContractAddress;
                    groups.Add(LedgerWriteGroup.Of(tx));
                }

                if (depthHead + 1 >= receipt.BlockNumber + (ulong)_options.Confirmations)
                {
                    deep.Add((entry, receipt));
                }
            }
            else if (tx.State == TransactionState.Mined)
            {
                MarkReorged(entry);
                groups.Add(LedgerWriteGroup.Of(tx));
            }
            else if (entry.NeedsReconcile || facts.LatestNonce > tx.Nonce)
            {
                reconcile.Add(entry);
            }
        }

        await ConfirmDeepAsync(deep, groups, cancellationToken).ConfigureAwait(false);
        await ReconcileAsync(reconcile, facts, groups, cancellationToken).ConfigureAwait(false);
        if (groups.Count > before)
        {
            _faults.Reached(CrashPoint.DuringConfirm);
        }
    }

    private static IEnumerable<Hash32> HashesOf(LaneEntry entry)
    {
        foreach (LedgerAttempt attempt in entry.Attempts)
        {
            yield return attempt.Hash;
        }

        if (entry.Tx.MinedHash is Hash32 mined && !entry.Attempts.Any(a => a.Hash == mined))
        {
            yield return mined;
        }
    }

    /// <summary>The receipts of <paramref name="hashes"/>, fetched in concurrent batches, and the head block number read with them.</summary>
    private async Task<(Dictionary<Hash32, TransactionReceipt?> Receipts, ulong Head)> GetReceiptsAsync(IEnumerable<Hash32> hashes, CancellationToken cancellationToken)
    {
        Hash32[][] chunks = [.. hashes.Distinct().Chunk(ReceiptBatchSize)];
        var batches = new List<(JsonRpcBatch Batch, Hash32[] Chunk, Task<TransactionReceipt?>[] Calls)>();
        Task<ulong>? head = null;
        foreach (Hash32[] chunk in chunks)
        {
            JsonRpcBatch batch = _rpc.CreateBatch();
            Task<TransactionReceipt?>[] calls = [.. chunk.Select(h => batch.Add<TransactionReceipt>("eth_getTransactionReceipt", h))];
            head ??= batch.Add<ulong>("eth_blockNumber");
            batches.Add((batch, chunk, calls));
        }

        await Task.WhenAll(batches.Select(b => b.Batch.SendAsync(cancellationToken))).ConfigureAwait(false);
        var result = new Dictionary<Hash32, TransactionReceipt?>();
        foreach ((_, Hash32[] chunk, Task<TransactionReceipt?>[] calls) in batches)
        {
            for (int i = 0; i < chunk.Length; i++)
            {
                result[chunk[i]] = await calls[i].ConfigureAwait(false);
            }
        }

        return (result, head is null ? 0 : await head.ConfigureAwait(false));
    }

    private void MarkReorged(LaneEntry entry)
    {
        LedgerTransaction tx = entry.Tx;
        Log.Reorged(_logger, Lane.PartitionKey, tx.Nonce, tx.MinedHash?.ToString() ?? "?");
        TransactionStates.EnsureCanMove(tx.State, TransactionState.Broadcast, tx.Nonce);
        tx.State = TransactionState.Broadcast;
        tx.MinedHash = null;
        tx.BlockNumber = null;
        tx.BlockHash = null;
        tx.ContractAddress = null;
        entry.ForceResend = true;
    }

    /// <summary>Confirms (or fails) rows at depth ≥ K whose block is still the canonical block at that height.</summary>
    private async Task ConfirmDeepAsync(List<(LaneEntry Entry, TransactionReceipt Receipt)> deep, List<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        if (deep.Count == 0)
        {
            return;
        }

        JsonRpcBatch batch = _rpc.CreateBatch();
        var blocks = new Dictionary<ulong, Task<BlockHeader?>>();
        foreach ((_, TransactionReceipt receipt) in deep)
        {
            if (!blocks.ContainsKey(receipt.BlockNumber))
            {
                blocks[receipt.BlockNumber] = batch.Add<BlockHeader>("eth_getBlockByNumber", BlockParameter.FromNumber(receipt.BlockNumber), false);
            }
        }

        await batch.SendAsync(cancellationToken).ConfigureAwait(false);
        foreach ((LaneEntry entry, TransactionReceipt receipt) in deep)
        {
            BlockHeader? canonical = await blocks[receipt.BlockNumber].ConfigureAwait(false);
            LedgerTransaction tx = entry.Tx;
            if (canonical is null || canonical.Hash != receipt.BlockHash)
            {
                MarkReorged(entry);
                groups.Add(LedgerWriteGroup.Of(tx));
                continue;
            }

            if (receipt.Succeeded)
            {
                tx.State = TransactionState.Confirmed;
            }
            else
            {
                tx.State = TransactionState.Failed;
                tx.Error = await RevertReasonAsync(tx, receipt, cancellationToken).ConfigureAwait(false);
            }

            // A row already in groups (e.g. Mined in this step) is written once: LedgerTable merges groups per row.
            groups.Add(LedgerWriteGroup.Of(tx));
        }
    }

    /// <summary>Replays a reverted transaction with <c>eth_call</c> on the state before its block to decode the reason.</summary>
    private async Task<string> RevertReasonAsync(LedgerTransaction tx, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var call = new CallRequest { From = Lane.Sender, To = tx.To, Data = tx.Data, Value = tx.Value, Gas = tx.GasLimit };
        try
        {
            await _rpc.CallAsync(call, BlockParameter.FromNumber(receipt.BlockNumber - 1), cancellationToken).ConfigureAwait(false);
            return "reverted (the replay did not revert; reason unavailable)";
        }
        catch (JsonRpcException e) when (e.TryGetRevertData(out byte[] data))
        {
            try
            {
                return "reverted: " + ContractErrors.Decode(data);
            }
            catch (AbiException)
            {
                return "reverted with undecodable data " + Hex.Encode(data);
            }
        }
        catch (JsonRpcException e)
        {
            return "reverted: " + e.RpcMessage;
        }
    }

    /// <summary>
    /// The chain's nonce passed one of our rows and no receipt of any of its attempts exists. Find the
    /// transaction that consumed the nonce: ours (a hash we know, or an unrecorded signature of the same
    /// intent, e.g. signed before a crash) → Mined; anything else → NonceConsumedExternally, alert, no jam.
    /// A lagging node is tolerated: the verdict needs two consecutive misses.
    /// </summary>
    private async Task ReconcileAsync(List<LaneEntry> entries, ChainFacts facts, List<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        foreach (LaneEntry entry in entries)
        {
            LedgerTransaction tx = entry.Tx;
            if (facts.LatestNonce <= tx.Nonce)
            {
                continue;
            }

            if (++entry.ReconcileMisses < 2 || DateTimeOffset.UtcNow < entry.NextSearchAt)
            {
                continue;
            }

            RpcTransaction? found = await FindMinedAtNonceAsync(tx.Nonce, facts.Head, cancellationToken).ConfigureAwait(false);
            if (found is null || found.BlockNumber is null)
            {
                // No verdict without evidence: parking the row as foreign could hide a transfer of ours that a lagging
                // node behind a load balancer has not shown yet. One alert, then a slow search.
                TimeSpan retry = _options.ChainCheckInterval * 10;
                entry.NextSearchAt = DateTimeOffset.UtcNow + retry;
                if (!entry.SearchMissAlerted)
                {
                    entry.SearchMissAlerted = true;
                    Log.ConsumedNonceWithoutTransaction(_logger, Lane.PartitionKey, tx.Nonce, facts.LatestNonce, Math.Min(facts.Head, _options.ReconcileLookbackBlocks), retry.TotalSeconds);
                }

                continue;
            }

            if (entry.Attempts.Any(a => a.Hash == found.Hash))
            {
                continue;
            }

            entry.NeedsReconcile = false;
            entry.MaybeSent = false;
            bool sameIntent = found.To == tx.To && found.Value == tx.Value && found.Input.AsSpan().SequenceEqual(tx.Data);
            if (sameIntent)
            {
                Log.Adopted(_logger, Lane.PartitionKey, tx.Nonce, found.Hash.ToString());
                MinedBy(tx, found, TransactionState.Mined);
            }
            else if (BusinessKeyTag.TryReadKeyHash(found.Input, out byte[] keyHash))
            {
                await RecordOwnLostTransactionAsync(tx, found, keyHash, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Log.NonceConsumedExternally(_logger, Lane.PartitionKey, tx.Nonce, found.Hash.ToString());
                MinedBy(tx, found, TransactionState.NonceConsumedExternally);
                tx.Error = $"nonce {tx.Nonce} was consumed by foreign transaction {found.Hash} in block {found.BlockNumber}; the intent was not executed";
            }

            groups.Add(LedgerWriteGroup.Of(tx));
        }
    }

    /// <summary>
    /// Invariant 0: the nonce was consumed by a transaction of ours that carries a business-key tag, whose row the ledger
    /// lost before this row got the nonce again. Its key is recorded at this nonce first, so no retry plans it again
    /// and pays twice. A gap filler (no command) then becomes that transaction's row, as reconciliation would have
    /// written it; any other row's intent was not executed and is parked, as for a foreign transaction.
    /// </summary>
    private async Task RecordOwnLostTransactionAsync(LedgerTransaction tx, RpcTransaction found, byte[] keyHash, CancellationToken cancellationToken)
    {
        EnsureLease();
        _writes++;
        bool recorded = await _ledger.TryAddRecoveredKeyAsync(Lane, keyHash, tx.Nonce, cancellationToken).ConfigureAwait(false);
        bool adopt = tx.IsFiller && tx.CommandId.Length == 0;
        Log.ConsumedByOwnLostTransaction(_logger, Lane.PartitionKey, tx.Nonce, found.Hash.ToString(), recorded, adopt);
        if (adopt)
        {
            MinedBy(tx, found, TransactionState.Mined);
            tx.To = found.To;
            tx.Value = found.Value;
            tx.Data = found.Input;
            tx.IsFiller = false;
            tx.RecoveredFromChain = true;
            tx.Note = "rebuilt from the chain: a transaction of ours whose row was lost";
        }
        else
        {
            MinedBy(tx, found, TransactionState.NonceConsumedExternally);
            tx.Error = $"nonce {tx.Nonce} was consumed by transaction {found.Hash} in block {found.BlockNumber}, one of ours (business-key tag) whose row was lost; this intent was not executed";
        }
    }

    /// <summary>Moves the row to <paramref name="state"/> with <paramref name="found"/> as the transaction mined at its nonce.</summary>
    private static void MinedBy(LedgerTransaction tx, RpcTransaction found, TransactionState state)
    {
        TransactionStates.EnsureCanMove(tx.State, state, tx.Nonce);
        tx.State = state;
        tx.MinedHash = found.Hash;
        tx.BlockNumber = found.BlockNumber;
        tx.BlockHash = found.BlockHash;
    }

    /// <summary>
    /// Finds the transaction of our sender with <paramref name="nonce"/>: binary search for the first block whose
    /// post-state nonce exceeds it (eth_getTransactionCount at historical blocks), then that block's transactions.
    /// A node without the state of old blocks (a pruned full node; anvil restarted from its state file) refuses the
    /// historical reads; then the blocks are scanned back from the head instead, which needs no old state. Before,
    /// the refusal failed every step and the lane never moved again.
    /// </summary>
    private async Task<RpcTransaction?> FindMinedAtNonceAsync(ulong nonce, ulong head, CancellationToken cancellationToken)
    {
        try
        {
            return await SearchByHistoricalNonceAsync(nonce, head, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException e)
        {
            Log.HistoricalStateRefused(_logger, Lane.PartitionKey, nonce, e.RpcMessage);
            return await _reconciler.FindBySenderAndNonceAsync(Lane.Sender, nonce, head, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RpcTransaction?> SearchByHistoricalNonceAsync(ulong nonce, ulong head, CancellationToken cancellationToken)
    {
        ulong low = 0, high = head;
        if (await _rpc.GetTransactionCountAsync(Lane.Sender, BlockParameter.FromNumber(head), cancellationToken).ConfigureAwait(false) <= nonce)
        {
            return null;
        }

        while (low < high)
        {
            ulong middle = low + ((high - low) / 2);
            ulong count = await _rpc.GetTransactionCountAsync(Lane.Sender, BlockParameter.FromNumber(middle), cancellationToken).ConfigureAwait(false);
            if (count > nonce)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        BlockHeader? block = await _rpc.GetBlockByNumberAsync(BlockParameter.FromNumber(low), cancellationToken).ConfigureAwait(false);
        if (block is null)
        {
            return null;
        }

        foreach (Hash32 hash in block.TransactionHashes)
        {
            RpcTransaction? candidate = await _rpc.GetTransactionByHashAsync(hash, cancellationToken).ConfigureAwait(false);
            if (candidate is not null && candidate.From == Lane.Sender && candidate.Nonce == nonce)
            {
                return candidate;
            }
        }

        return null;
    }
}
