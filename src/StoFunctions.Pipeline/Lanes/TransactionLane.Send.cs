using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

public sealed partial class TransactionLane
{
    private const int SignAhead = 64;

    // Signed rows persisted (two entity-group batches: attempt row + transaction row each) and then broadcast
    // while the next rows are still being signed.
    private const int PersistChunk = 100;

    // Raw transactions per JSON-RPC batch: one POST per chunk keeps request bodies well under node limits
    // (a transfer is ~120 bytes of hex, a deployment up to 48 KiB) while saving a round trip per transaction.
    private const int BroadcastBatchSize = 100;

    // Underpriced refusals of nonces already waiting at the fee cap since the last summary, and when that summary is due.
    private int _capRefusals;
    private DateTimeOffset? _capSummaryDue;

    /// <summary>
    /// Signs Planned rows in parallel (thread-pool bodies, so a CPU-bound local signer uses every core and Key Vault
    /// round trips overlap) and, while later rows are still being signed, persists the signed ones chunk by chunk in
    /// nonce order (each attempt with its row, in entity-group batches) and broadcasts what is persisted. Nothing is
    /// sent before its attempt is persisted (invariant 3).
    /// </summary>
    private async Task SignAndBroadcastAsync(ChainFacts facts, List<LedgerWriteGroup> deferred, CancellationToken cancellationToken)
    {
        List<LaneEntry> planned = [.. _open.Values.Where(e => e.Tx.State == TransactionState.Planned).Take(Math.Max(SignAhead, _options.InFlightWindow))];
        if (planned.Count == 0)
        {
            await SendReadyAsync(SelectReady(), deferred, cancellationToken).ConfigureAwait(false);
            return;
        }

        FeePair fees = FeeLadder.Initial(facts.BaseFee, facts.MarketTip, _options.Fees);
        TaskCompletionSource<LedgerAttempt?>[] signed = [.. planned.Select(_ => new TaskCompletionSource<LedgerAttempt?>(TaskCreationOptions.RunContinuationsAsynchronously))];
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.SigningParallelism, CancellationToken = abandon.Token };

        // Parallel.ForEachAsync takes the rows in order, so the lowest nonces are signed first.
        Task signing = Parallel.ForEachAsync(Enumerable.Range(0, planned.Count), parallel, async (i, token) =>
        {
            LedgerTransaction tx = planned[i].Tx;
            try
            {
                signed[i].TrySetResult(await AttemptSigner.SignAsync(Lane, tx, fees, tx.Attempts + 1, _signer, token).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                signed[i].TrySetCanceled(token);
            }
            catch (Exception e)
            {
                Log.SignFailed(_logger, Lane.PartitionKey, tx.Nonce, e);
                signed[i].TrySetResult(null);
            }
        });
        try
        {
            // Chunk k is persisted while chunk k-1 is being sent: the two touch disjoint rows (the rows a send
            // takes are chosen before the next chunk's write starts), and a row is chosen only once persisted.
            Task sending = SendReadyAsync(SelectReady(), deferred, cancellationToken);
            for (int from = 0; from < planned.Count; from += PersistChunk)
            {
                int count = Math.Min(PersistChunk, planned.Count - from);
                LedgerAttempt?[] attempts = await Task.WhenAll(signed.Skip(from).Take(count).Select(t => t.Task)).ConfigureAwait(false);
                await Task.WhenAll(sending, PersistSignedAsync(planned.GetRange(from, count), attempts, cancellationToken)).ConfigureAwait(false);
                sending = SendReadyAsync(SelectReady(), deferred, cancellationToken);
            }

            await sending.ConfigureAwait(false);
        }
        finally
        {
            // On failure, stop signing rows that will not be persisted in this step (the next step signs them again).
            await abandon.CancelAsync().ConfigureAwait(false);
            try
            {
                await signing.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task PersistSignedAsync(List<LaneEntry> entries, LedgerAttempt?[] attempts, CancellationToken cancellationToken)
    {
        _faults.Reached(CrashPoint.AfterSignBeforePersist);
        var groups = new List<LedgerWriteGroup>();
        var accepted = new List<(LaneEntry Entry, LedgerAttempt Attempt)>();
        for (int i = 0; i < entries.Count; i++)
        {
            if (attempts[i] is not LedgerAttempt attempt)
            {
                continue;
            }

            LedgerTransaction tx = entries[i].Tx;
            TransactionStates.EnsureCanMove(tx.State, TransactionState.Signed, tx.Nonce);
            tx.State = TransactionState.Signed;
            tx.Attempts = attempt.Number;
            tx.LatestHash = attempt.Hash;
            groups.Add(new LedgerWriteGroup(tx, [attempt], []));
            accepted.Add((entries[i], attempt));
        }

        await WriteAsync(groups, cancellationToken).ConfigureAwait(false);
        foreach ((LaneEntry entry, LedgerAttempt attempt) in accepted)
        {
            entry.Attempts.Add(attempt);
        }

        if (accepted.Count > 0)
        {
            _faults.Reached(CrashPoint.AfterPersistBeforeBroadcast);
        }
    }

    /// <summary>
    /// The Signed rows to send now, in nonce order: up to the in-flight window, stopping at a held row (insufficient
    /// funds, nonce too high) so later nonces wait behind it.
    /// </summary>
    private List<LaneEntry> SelectReady()
    {
        int inFlight = _open.Values.Count(e => e.Tx.State == TransactionState.Broadcast || e.MaybeSent);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var ready = new List<LaneEntry>();
        foreach (LaneEntry entry in _open.Values)
        {
            if (entry.Tx.State != TransactionState.Signed || entry.MaybeSent || entry.NeedsReconcile || entry.BumpNow || entry.Highest is null)
            {
                continue;
            }

            if (entry.NextSendAt > now || inFlight + ready.Count >= _options.InFlightWindow)
            {
                break;
            }

            ready.Add(entry);
        }

        return ready;
    }

    /// <summary>
    /// Sends <paramref name="ready"/> in JSON-RPC batches (one POST per <see cref="BroadcastBatchSize"/> rows,
    /// requests in nonce order). The rows' new state is added to <paramref name="deferred"/> and written with the
    /// step's receipt changes: a crash before that write only loses the Broadcast marker, and the restarted lane
    /// resends the same persisted bytes (invariant 3).
    /// </summary>
    private Task SendReadyAsync(List<LaneEntry> ready, List<LedgerWriteGroup> deferred, CancellationToken cancellationToken) =>
        BroadcastInNonceOrderAsync(ready, stopAfterHold: true, deferred, cancellationToken);

    /// <summary>
    /// Sends the highest stored attempt of each entry, lowest nonce first, <see cref="BroadcastBatchSize"/> per
    /// JSON-RPC batch, and applies each answer. With <paramref name="stopAfterHold"/>, batches after one with a held
    /// row (insufficient funds, nonce too high) are not sent: later nonces wait behind it.
    /// </summary>
    private async Task BroadcastInNonceOrderAsync(List<LaneEntry> entries, bool stopAfterHold, List<LedgerWriteGroup> deferred, CancellationToken cancellationToken)
    {
        foreach (LaneEntry[] chunk in entries.Chunk(BroadcastBatchSize))
        {
            JsonRpcBatch batch = _rpc.CreateBatch();
            Task<Hash32>[] sends = [.. chunk.Select(e => batch.Add<Hash32>("eth_sendRawTransaction", (ReadOnlyMemory<byte>)e.Highest!.Raw))];
            try
            {
                await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (JsonRpcException)
            {
                // The batch's outcome is unknown; every request carries the failure and is handled as "maybe sent".
            }

            bool hold = false;
            for (int i = 0; i < chunk.Length; i++)
            {
                Exception? error = await ErrorOfAsync(sends[i]).ConfigureAwait(false);
                hold |= Apply(chunk[i], chunk[i].Highest!, error, deferred) == SendOutcome.Hold;
            }

            // Rows after a held one in the same batch were already sent; the node queues them behind the held
            // nonce, exactly as it would a later resend. Later batches wait.
            if (hold && stopAfterHold)
            {
                break;
            }
        }
    }

    private static async Task<Exception?> ErrorOfAsync(Task send)
    {
        try
        {
            await send.ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is JsonRpcException or HttpRequestException or TimeoutException or IOException)
        {
            return e;
        }
    }

    private enum SendOutcome
    {
        Accepted,
        MaybeSent,
        Reconcile,
        Bump,
        Hold,
        Rejected,
    }

    /// <summary>Sends one attempt's bytes and maps the node's answer to an action.</summary>
    private async Task<SendOutcome> SendAsync(LaneEntry entry, LedgerAttempt attempt, List<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            await _rpc.SendRawTransactionAsync(attempt.Raw, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonRpcException or HttpRequestException or TimeoutException or IOException)
        {
            error = e;
        }

        return Apply(entry, attempt, error, groups);
    }

    /// <summary>Maps the node's answer to one send (null: accepted) to an action (design/pipeline.md table).</summary>
    private SendOutcome Apply(LaneEntry entry, LedgerAttempt attempt, Exception? error, List<LedgerWriteGroup> groups)
    {
        LedgerTransaction tx = entry.Tx;
        BroadcastErrorKind kind = error is null ? BroadcastErrorKind.AlreadyKnown : BroadcastErrorClassifier.Classify(error);
        string message = error is null ? "accepted" : error is JsonRpcException rpc ? rpc.RpcMessage : error.Message;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case BroadcastErrorKind.AlreadyKnown:
                _faults.Reached(CrashPoint.AfterBroadcastBeforeStatus);
                attempt.FirstSent ??= now;
                attempt.LastSent = now;
                entry.MaybeSent = false;
                entry.SendFailures = 0;
                if (entry.CapWaits > 0)
                {
                    Log.FeeCapCleared(_logger, Lane.PartitionKey, tx.Nonce, entry.CapWaits);
                    entry.CapWaits = 0;
                }

                if (tx.State == TransactionState.Signed)
                {
                    tx.State = TransactionState.Broadcast;
                }

                groups.Add(new LedgerWriteGroup(tx, [], [attempt]));
                return SendOutcome.Accepted;

            case BroadcastErrorKind.NonceTooLow:
                entry.NeedsReconcile = true;
                return SendOutcome.Reconcile;

            case BroadcastErrorKind.ReplacementUnderpriced:
            case BroadcastErrorKind.Underpriced:
                // Another transaction of ours (possibly signed before a crash and never persisted) holds the nonce,
                // or the node's price floor rose: replace with ≥ +10 % on both fields, never re-nonce. A nonce already
                // waiting at the fee cap was alerted once; its further refusals only count towards the periodic summary.
                if (entry.CapWaits == 0)
                {
                    Log.SendRefused(_logger, Lane.PartitionKey, tx.Nonce, attempt.Hash.ToString(), kind.ToString(), message);
                }
                else
                {
                    _capRefusals++;
                }

                entry.BumpNow = true;
                return SendOutcome.Bump;

            case BroadcastErrorKind.InsufficientFunds:
                Log.InsufficientFunds(_logger, Lane.PartitionKey, tx.Nonce);
                entry.NextSendAt = now + _options.InsufficientFundsBackoff;
                return SendOutcome.Hold;

            case BroadcastErrorKind.NonceTooHigh:
                Log.SendRefused(_logger, Lane.PartitionKey, tx.Nonce, attempt.Hash.ToString(), kind.ToString(), message);
                entry.NextSendAt = now + TimeSpan.FromSeconds(1);
                return SendOutcome.Hold;

            case BroadcastErrorKind.Fatal when tx.State == TransactionState.Signed && !tx.IsFiller:
                RejectIntent(entry, message);
                groups.Add(LedgerWriteGroup.Of(tx));
                return SendOutcome.Rejected;

            default:
                if (kind == BroadcastErrorKind.Unknown || kind == BroadcastErrorKind.Fatal)
                {
                    Log.UnknownSendError(_logger, Lane.PartitionKey, tx.Nonce, message);
                }

                // Timeouts, resets, 5xx, 429 and unknown answers: the node may have taken it. Resend the same bytes
                // with backoff; receipts and nonce reconciliation decide later.
                entry.MaybeSent = true;
                entry.SendFailures++;
                entry.NextSendAt = now + TimeSpan.FromMilliseconds(Math.Min(_options.ResendAfter.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(entry.SendFailures, 10))));
                return SendOutcome.MaybeSent;
        }
    }

    /// <summary>
    /// A deterministic refusal (<c>intrinsic gas too low</c>, oversized, invalid sender…): the intent is terminally
    /// rejected and the nonce, which the node did not consume, is reused by a 0-value self-transfer so later
    /// nonces are not stuck behind a gap.
    /// </summary>
    private void RejectIntent(LaneEntry entry, string message)
    {
        LedgerTransaction tx = entry.Tx;
        Log.Rejected(_logger, Lane.PartitionKey, tx.Nonce, message);
        TransactionStates.EnsureCanMove(tx.State, TransactionState.Planned, tx.Nonce);
        tx.RejectedError = message;
        tx.IsFiller = true;
        tx.To = Lane.Sender;
        tx.Data = BusinessKeyTag.Filler();
        tx.Value = UInt256.Zero;
        tx.GasLimit = FillerGas;
        tx.State = TransactionState.Planned;
        entry.MaybeSent = false;
    }

    /// <summary>Rebroadcasts attempts without receipt after ResendAfter; bumps underpriced ones after BumpAfter (invariant 6).</summary>
    /// <remarks>A bump's new attempt is written before it is sent; the send outcomes join <paramref name="groups"/>.</remarks>
    private async Task ResendOrBumpAsync(ChainFacts facts, List<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach (LaneEntry entry in _open.Values.ToList())
        {
            LedgerTransaction tx = entry.Tx;
            LedgerAttempt? highest = entry.Highest;
            bool waiting = tx.State == TransactionState.Broadcast || (tx.State == TransactionState.Signed && (entry.MaybeSent || entry.BumpNow));
            if (highest is null || !waiting || entry.NeedsReconcile)
            {
                continue;
            }

            DateTimeOffset since = highest.FirstSent ?? highest.SignedTime;
            bool underpriced = highest.Fees.MaxFeePerGas < facts.BaseFee + highest.Fees.MaxPriorityFeePerGas;
            if (entry.BumpNow || (tx.State == TransactionState.Broadcast && underpriced && now - since >= _options.BumpAfter))
            {
                bool refused = entry.BumpNow;
                entry.BumpNow = false;
                FeePair? next = FeeLadder.Bump(highest.Fees, facts.BaseFee, facts.MarketTip, _options.Fees);
                if (next is FeePair fees)
                {
                    LedgerAttempt bumped = await AttemptSigner.SignAsync(Lane, tx, fees, tx.Attempts + 1, _signer, cancellationToken).ConfigureAwait(false);
                    _faults.Reached(CrashPoint.DuringBumpAfterSign);
                    tx.Attempts = bumped.Number;
                    tx.LatestHash = bumped.Hash;
                    await WriteAsync([new LedgerWriteGroup(tx, [bumped], [])], cancellationToken).ConfigureAwait(false);
                    entry.Attempts.Add(bumped);
                    Log.Bumped(_logger, Lane.PartitionKey, tx.Nonce, bumped.Number, fees.ToString());
                    await SendAsync(entry, bumped, groups, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!entry.CapAlerted)
                {
                    entry.CapAlerted = true;
                    Log.FeeCapReached(_logger, Lane.PartitionKey, tx.Nonce, _options.Fees.MaxFeePerGasCap.ToString());
                }

                // The node refused the highest attempt and no valid replacement fits under the cap: resending the same
                // bytes at once only meets the same refusal (issue 21: ~60 resends/s per nonce). Wait, doubling up to
                // ResendAfter, until the base fee falls and the node takes the bytes.
                if (refused)
                {
                    _capSummaryDue ??= now + _options.FeeCapSummaryInterval;
                    entry.CapWaits++;
                    entry.NextSendAt = now + CapBackoff(entry.CapWaits);
                }
            }

            // Every later nonce waits for the one the chain needs next; when the node lost it (anvil under load drops
            // pool entries, a load-balanced endpoint may have routed the send to a node that never gossiped it) its
            // same bytes are resent after a fifth of ResendAfter. A node that still has it answers "already known".
            DateTimeOffset lastSent = highest.LastSent ?? highest.SignedTime;
            TimeSpan resendAfter = tx.State == TransactionState.Broadcast && tx.Nonce == facts.LatestNonce ? _options.ResendAfter / 5 : _options.ResendAfter;
            bool due = entry.ForceResend || (entry.MaybeSent || entry.CapWaits > 0 ? entry.NextSendAt <= now : now - lastSent >= resendAfter);
            if (due)
            {
                entry.ForceResend = false;
                await SendAsync(entry, highest, groups, cancellationToken).ConfigureAwait(false);
            }
        }

        SummarizeFeeCap(facts, now);
    }

    /// <summary>The wait after the <paramref name="waits"/>-th refusal at the cap: 1 s, 2 s, 4 s… up to ResendAfter.</summary>
    private TimeSpan CapBackoff(int waits) =>
        TimeSpan.FromMilliseconds(Math.Min(_options.ResendAfter.TotalMilliseconds, 1000 * Math.Pow(2, Math.Min(waits - 1, 16))));

    /// <summary>True while a nonce waits at the fee cap: the lane then polls at PollInterval instead of stepping again at once.</summary>
    private bool WaitingAtFeeCap => _open.Values.Any(e => e.CapWaits > 0);

    /// <summary>One summary line per FeeCapSummaryInterval while nonces wait at the cap, instead of a line per refusal.</summary>
    private void SummarizeFeeCap(ChainFacts facts, DateTimeOffset now)
    {
        if (_capSummaryDue is not DateTimeOffset due || now < due)
        {
            return;
        }

        List<LaneEntry> waiting = [.. _open.Values.Where(e => e.CapWaits > 0)];
        if (waiting.Count == 0)
        {
            _capSummaryDue = null;
            _capRefusals = 0;
            return;
        }

        Log.FeeCapSummary(_logger, Lane.PartitionKey, waiting.Count, waiting[0].Tx.Nonce, _options.Fees.MaxFeePerGasCap.ToString(), facts.BaseFee.ToString(), _capRefusals);
        _capRefusals = 0;
        _capSummaryDue = now + _options.FeeCapSummaryInterval;
    }
}
