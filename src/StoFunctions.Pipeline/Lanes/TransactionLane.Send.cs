using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

public sealed partial class TransactionLane
{
    private const int SignAhead = 64;

    /// <summary>Signs Planned rows (in parallel) and persists each attempt with its row before anything is sent (invariant 3).</summary>
    private async Task SignPlannedAsync(ChainFacts facts, CancellationToken cancellationToken)
    {
        List<LaneEntry> planned = [.. _open.Values.Where(e => e.Tx.State == TransactionState.Planned).Take(SignAhead)];
        if (planned.Count == 0)
        {
            return;
        }

        FeePair fees = FeeLadder.Initial(facts.BaseFee, facts.MarketTip, _options.Fees);
        using var gate = new SemaphoreSlim(_options.SigningParallelism);
        LedgerAttempt?[] signed = await Task.WhenAll(planned.Select(async entry =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await AttemptSigner.SignAsync(Lane, entry.Tx, fees, entry.Tx.Attempts + 1, _signer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (OperationCanceledException or SimulatedCrashException))
            {
                Log.SignFailed(_logger, Lane.PartitionKey, entry.Tx.Nonce, e);
                return null;
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        _faults.Reached(CrashPoint.AfterSignBeforePersist);
        var groups = new List<LedgerWriteGroup>();
        var accepted = new List<(LaneEntry Entry, LedgerAttempt Attempt)>();
        for (int i = 0; i < planned.Count; i++)
        {
            if (signed[i] is not LedgerAttempt attempt)
            {
                continue;
            }

            LedgerTransaction tx = planned[i].Tx;
            TransactionStates.EnsureCanMove(tx.State, TransactionState.Signed, tx.Nonce);
            tx.State = TransactionState.Signed;
            tx.Attempts = attempt.Number;
            tx.LatestHash = attempt.Hash;
            groups.Add(new LedgerWriteGroup(tx, [attempt], []));
            accepted.Add((planned[i], attempt));
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

    /// <summary>Sends Signed rows in nonce order while fewer than the window are in flight.</summary>
    private async Task BroadcastSignedAsync(CancellationToken cancellationToken)
    {
        int inFlight = _open.Values.Count(e => e.Tx.State == TransactionState.Broadcast || e.MaybeSent);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var groups = new List<LedgerWriteGroup>();
        foreach (LaneEntry entry in _open.Values)
        {
            if (entry.Tx.State != TransactionState.Signed || entry.MaybeSent || entry.NeedsReconcile || entry.BumpNow || entry.Highest is null)
            {
                continue;
            }

            if (entry.NextSendAt > now)
            {
                // Held (insufficient funds, nonce too high): later nonces wait behind it.
                break;
            }

            if (inFlight >= _options.InFlightWindow)
            {
                break;
            }

            SendOutcome outcome = await SendAsync(entry, entry.Highest, groups, cancellationToken).ConfigureAwait(false);
            if (outcome == SendOutcome.Accepted || outcome == SendOutcome.MaybeSent)
            {
                inFlight++;
            }
            else if (outcome == SendOutcome.Hold)
            {
                break;
            }
        }

        await WriteAsync(groups, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Sends one attempt's bytes and maps the node's answer to an action (design/pipeline.md table).</summary>
    private async Task<SendOutcome> SendAsync(LaneEntry entry, LedgerAttempt attempt, List<LedgerWriteGroup> groups, CancellationToken cancellationToken)
    {
        LedgerTransaction tx = entry.Tx;
        BroadcastErrorKind kind;
        string message;
        try
        {
            await _rpc.SendRawTransactionAsync(attempt.Raw, cancellationToken).ConfigureAwait(false);
            kind = BroadcastErrorKind.AlreadyKnown;
            message = "accepted";
        }
        catch (Exception e) when (e is JsonRpcException or HttpRequestException or TimeoutException or IOException)
        {
            kind = BroadcastErrorClassifier.Classify(e);
            message = e is JsonRpcException rpc ? rpc.RpcMessage : e.Message;
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case BroadcastErrorKind.AlreadyKnown:
                _faults.Reached(CrashPoint.AfterBroadcastBeforeStatus);
                attempt.FirstSent ??= now;
                attempt.LastSent = now;
                entry.MaybeSent = false;
                entry.SendFailures = 0;
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
                // or the node's price floor rose: replace with ≥ +10 % on both fields, never re-nonce.
                Log.SendRefused(_logger, Lane.PartitionKey, tx.Nonce, attempt.Hash.ToString(), kind.ToString(), message);
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
        tx.Data = [];
        tx.Value = UInt256.Zero;
        tx.GasLimit = FillerGas;
        tx.State = TransactionState.Planned;
        entry.MaybeSent = false;
    }

    /// <summary>Rebroadcasts attempts without receipt after ResendAfter; bumps underpriced ones after BumpAfter (invariant 6).</summary>
    private async Task ResendOrBumpAsync(ChainFacts facts, CancellationToken cancellationToken)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var groups = new List<LedgerWriteGroup>();
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
            }

            DateTimeOffset lastSent = highest.LastSent ?? highest.SignedTime;
            bool due = entry.ForceResend || (entry.MaybeSent ? entry.NextSendAt <= now : now - lastSent >= _options.ResendAfter);
            if (due)
            {
                entry.ForceResend = false;
                await SendAsync(entry, highest, groups, cancellationToken).ConfigureAwait(false);
            }
        }

        await WriteAsync(groups, cancellationToken).ConfigureAwait(false);
    }
}
