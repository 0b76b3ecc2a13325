using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

public sealed partial class TransactionLane
{
    // When an idle lane last read the chain's nonce, and whether an admin asked for a check now (nonce restart).
    private DateTimeOffset _nextIdleChainCheck;
    private volatile bool _chainCheckRequested;

    // The last "chain behind the ledger" reading whose receipts were all still there (a lagging node): the same
    // reading is not re-checked until the time given, so a node behind its peers costs one receipt batch, not one per step.
    private (ulong ChainNonce, ulong Frontier) _quietReading;
    private DateTimeOffset _quietUntil;

    /// <summary>
    /// Makes the lane compare the chain's nonce with the ledger at its next step, even when idle, and re-check the
    /// receipts of rows the chain no longer counts (the admin nonce restart calls this).
    /// </summary>
    public void RequestChainCheck()
    {
        _chainCheckRequested = true;
        Wake();
    }

    /// <summary>
    /// For an idle lane (no open rows): every <see cref="LaneOptions.ChainCheckInterval"/>, or at once after
    /// <see cref="RequestChainCheck"/>, reads the sender's latest nonce. True when it is below the ledger's next
    /// nonce, i.e. rows the ledger holds as final may have left the chain and the step must go on.
    /// </summary>
    private async Task<bool> ChainBehindWhileIdleAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (_nextUnseen == 0 || (!_chainCheckRequested && now < _nextIdleChainCheck))
        {
            return false;
        }

        _nextIdleChainCheck = now + _options.ChainCheckInterval;
        ulong latest = await _rpc.GetTransactionCountAsync(Lane.Sender, BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        if (latest >= _nextUnseen)
        {
            _chainCheckRequested = false;
        }

        return latest < _nextUnseen;
    }

    /// <summary>
    /// "Confirmed" is final only while the chain agrees (invariant 0). When the chain's latest nonce is below the
    /// lowest open nonce, rows below that the ledger holds as Confirmed or Failed may be gone (a reorg deeper than K,
    /// common on L2s and sidechains). Their receipts are re-read; rows without one go back to Broadcast (cursor first,
    /// so a crash in between still finds them) and their stored bytes, same hashes, are resent in nonce order before
    /// anything newer is sent. One critical alert per such event.
    /// </summary>
    private async Task ReopenVanishedRowsAsync(ChainFacts facts, List<LedgerWriteGroup> deferred, CancellationToken cancellationToken)
    {
        ulong frontier = _open.Count > 0 ? _open.Keys.First() : _nextUnseen;
        bool requested = _chainCheckRequested;
        _chainCheckRequested = false;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (facts.LatestNonce >= frontier || (!requested && _quietReading == (facts.LatestNonce, frontier) && now < _quietUntil))
        {
            return;
        }

        List<LedgerTransaction> rows = await _ledger.GetTransactionsAsync(Lane, facts.LatestNonce, frontier - 1, cancellationToken).ConfigureAwait(false);
        List<LedgerTransaction> final = [.. rows.Where(r => r.State is TransactionState.Confirmed or TransactionState.Failed && r.MinedHash is not null)];
        (Dictionary<Hash32, TransactionReceipt?> receipts, _) = final.Count == 0
            ? ([], 0)
            : await GetReceiptsAsync(final.Select(r => r.MinedHash!.Value), cancellationToken).ConfigureAwait(false);
        List<LedgerTransaction> vanished = [.. final.Where(r => receipts.GetValueOrDefault(r.MinedHash!.Value) is null)];

        // Rows below the frontier that are not final and not in the view were reopened by a lane that stopped before
        // it resent them; they join the view as they are.
        List<LedgerTransaction> stranded = [.. rows.Where(r => !TransactionStates.IsTerminal(r.State) && !_open.ContainsKey(r.Nonce))];
        if (vanished.Count == 0 && stranded.Count == 0)
        {
            if (_quietReading != (facts.LatestNonce, frontier))
            {
                Log.ChainBehindButReceiptsPresent(_logger, Lane.PartitionKey, facts.LatestNonce, frontier);
            }

            _quietReading = (facts.LatestNonce, frontier);
            _quietUntil = now + _options.ChainCheckInterval * 10;
            return;
        }

        if (vanished.Count > 0)
        {
            Log.DeepReorg(_logger, Lane.PartitionKey, facts.LatestNonce, frontier, vanished.Count, vanished[0].Nonce, vanished[^1].Nonce, _options.Confirmations);
        }

        ulong reopenFrom = Math.Min(vanished.Count > 0 ? vanished[0].Nonce : ulong.MaxValue, stranded.Count > 0 ? stranded[0].Nonce : ulong.MaxValue);
        EnsureLease();
        _writes++;
        _cursorETag = await _ledger.WriteAsync(Lane, [], reopenFrom, _cursorETag, cancellationToken).ConfigureAwait(false);
        _openFrom = reopenFrom;

        // The one way out of a terminal state, outside TransactionStates.CanMove on purpose: every normal transition
        // still treats Confirmed and Failed as final; only a receipt the chain no longer has reopens the row.
        foreach (LedgerTransaction tx in vanished)
        {
            tx.State = TransactionState.Broadcast;
            tx.MinedHash = null;
            tx.BlockNumber = null;
            tx.BlockHash = null;
            tx.ContractAddress = null;
            tx.Error = null;
        }

        await WriteAsync([.. vanished.Select(LedgerWriteGroup.Of)], cancellationToken).ConfigureAwait(false);
        Dictionary<ulong, List<LedgerAttempt>> attempts = await _ledger.GetAttemptsAsync(Lane, reopenFrom, frontier - 1, cancellationToken).ConfigureAwait(false);
        var reopened = new List<LaneEntry>();
        foreach (LedgerTransaction tx in vanished.Concat(stranded).OrderBy(r => r.Nonce))
        {
            var entry = new LaneEntry(tx, attempts.GetValueOrDefault(tx.Nonce) ?? []);
            _open[tx.Nonce] = entry;
            if (tx.State == TransactionState.Broadcast && entry.Highest is not null)
            {
                reopened.Add(entry);
            }
        }

        // Every reopened row was on chain once, so all are resent even past a held one (SendReadyAsync would stop there).
        await BroadcastInNonceOrderAsync(reopened, stopAfterHold: false, deferred, cancellationToken).ConfigureAwait(false);
    }
}
