using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Commands;

public sealed partial class CommandService
{
    // A batch is bounded so one slow round cannot keep thousands of submitters waiting on a single result.
    private const int MaxBatchCommands = 250;

    // A refusal's errors kept on a failed command's row (a 2,000-row distribution's could fill the property's 32K).
    private const int MaxRefusalChars = 4_000;

    private readonly Lock _batchGate = new();
    private List<PlannedCommand> _waiting = [];
    private bool _draining;

    // Every submission of this service joins the lane's next batch. One batch runs at a time: admission sees the
    // ledger as left by the previous batch, and the nonces of a whole batch come from a few entity-group
    // transactions on the account row instead of one contended ETag round per submission. The shared work runs
    // without the submitter's token, so a client that hangs up cannot cancel the others' allocation.
    private Task PlanAsync(PlannedCommand command)
    {
        bool start;
        lock (_batchGate)
        {
            _waiting.Add(command);
            start = !_draining;
            _draining = true;
        }

        if (start)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return command.Completion;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<PlannedCommand> batch;
            lock (_batchGate)
            {
                if (_waiting.Count == 0)
                {
                    _draining = false;
                    return;
                }

                batch = [.. _waiting.Take(MaxBatchCommands)];
                _waiting.RemoveRange(0, batch.Count);
            }

            try
            {
                await PlanBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                foreach (PlannedCommand command in batch)
                {
                    command.Fail(e);
                }
            }
        }
    }

    private async Task PlanBatchAsync(List<PlannedCommand> batch)
    {
        // The same command twice (one idempotency key submitted concurrently) is planned once; both wait on it.
        var byId = new Dictionary<string, List<PlannedCommand>>(StringComparer.Ordinal);
        var distinct = new List<PlannedCommand>();
        foreach (PlannedCommand command in batch)
        {
            if (!byId.TryGetValue(command.Id, out List<PlannedCommand>? same))
            {
                byId[command.Id] = same = [];
                distinct.Add(command);
            }

            same.Add(command);
        }

        // Invariant 0: the ledger is reconciled with the chain before any nonce is allocated, so a business key whose
        // transaction the ledger lost is found (and adopted) instead of planned again above the chain's nonce. The
        // run starts now, beside the admission (which reads the ledger and the chain, but not what a reconciliation
        // could add: recovered rows are mined, so the balances hold them); the batch waits for the slower of the two.
        Task<ulong> reconciling = _reconciler.EnsureReconciledAsync(Lane, CancellationToken.None);
        try
        {
            foreach (ICommandAdmission admission in _admissions)
            {
                await admission.AdmitAsync(distinct, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch
        {
            await Settled(reconciling).ConfigureAwait(false);
            throw;
        }

        List<PlannedCommand> rejected = [.. distinct.Where(c => c.Rejection is not null)];
        List<PlannedCommand> admitted = [.. distinct.Where(c => c.Rejection is null)];
        await Task.WhenAll(rejected.Select(c => SettleRefusalAsync(c.Id, byId[c.Id].Any(s => s.Answered), c.Rejection!))).ConfigureAwait(false);
        foreach (PlannedCommand command in rejected)
        {
            var error = new CommandValidationException(command.Rejection!);
            byId[command.Id].ForEach(c => c.Fail(error));
        }

        // Submitters answered on admission answer now; the allocation below goes on without them.
        admitted.ForEach(c => byId[c.Id].ForEach(s => s.Admit()));

        if (admitted.Count == 0)
        {
            await Settled(reconciling).ConfigureAwait(false);
            return;
        }

        // The allocator refuses a floor above its account row; a gap that opened meanwhile is reconciled and retried.
        CommandAllocation[] allocations;
        for (int attempt = 0; ; attempt++)
        {
            ulong pending = await (attempt == 0 ? reconciling : _reconciler.EnsureReconciledAsync(Lane, CancellationToken.None)).ConfigureAwait(false);
            try
            {
                allocations = await _allocator.AllocateManyAsync(Lane, [.. admitted.Select(c => (c.Id, c.Intents))], pending, CancellationToken.None, c => FirstNoncesWritten(byId[admitted[c].Id])).ConfigureAwait(false);
                break;
            }
            catch (LedgerBehindChainException) when (attempt < 3)
            {
            }
        }

        _faults.Reached(CrashPoint.AfterNonceAllocation);
        _wake(Lane);
        admitted.ForEach(c => byId[c.Id].ForEach(s => s.Allocated?.Invoke()));

        // The nonces are durable, so the next batch may start now; each command's row is marked planned on the
        // side and answers its submitters when that is written (a crash before it is repaired by ResumePendingAsync).
        // A command refused for a business key that holds other content got no nonce and leaves nothing behind.
        for (int i = 0; i < admitted.Count; i++)
        {
            _ = allocations[i].Conflicts.Count > 0
                ? RefuseConflictingAsync(admitted[i], allocations[i].Conflicts, byId[admitted[i].Id])
                : MarkPlannedAsync(admitted[i], allocations[i].Nonces, byId[admitted[i].Id]);
        }
    }

    // The first of a large command's transactions are durable and the lane may start on them: the intake's callback
    // (of every submitter of it) and the in-process lane.
    private void FirstNoncesWritten(List<PlannedCommand> submitters)
    {
        _wake(Lane);
        foreach (PlannedCommand submitter in submitters)
        {
            submitter.FirstNoncesWritten?.Invoke();
        }
    }

    // Completes when the task has, its fault observed: the batch is already failing or done with other work, and a
    // reconciliation it no longer needs must neither outlive it nor surface as an unobserved exception.
    private static Task Settled(Task task) =>
        task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task RefuseConflictingAsync(PlannedCommand command, IReadOnlyList<BusinessKeyConflict> conflicts, List<PlannedCommand> submitters)
    {
        var error = new BusinessKeyConflictException(conflicts);
        try
        {
            await SettleRefusalAsync(command.Id, submitters.Any(s => s.Answered), error.Errors).ConfigureAwait(false);
        }
        finally
        {
            // A row left behind (storage error) is refused again by ResumePendingAsync; the submitters learn now.
            submitters.ForEach(c => c.Fail(error));
        }
    }

    private async Task MarkPlannedAsync(PlannedCommand command, ulong[] nonces, List<PlannedCommand> submitters)
    {
        try
        {
            await WritePlannedAsync(command.Id, nonces).ConfigureAwait(false);
            submitters.ForEach(c => c.Complete());
        }
        catch (Exception e)
        {
            submitters.ForEach(c => c.Fail(e));
        }
    }

    private Task WritePlannedAsync(string id, ulong[] nonces) =>
        _commands.UpdateEntityAsync(new TableEntity(id, CommandRow)
        {
            ["Planned"] = true,
            ["Ranges"] = FormatRanges(nonces),
            ["Transactions"] = nonces.Length,
            ["PlannedTime"] = DateTimeOffset.UtcNow,
        }, ETag.All, TableUpdateMode.Merge, CancellationToken.None);

    // A refused command whose submitters have not been told it was accepted leaves nothing behind (they get the
    // errors, and the same key can be used again once the cause is fixed); one whose submitter may have been answered
    // 202 is failed with them, so the status URL it was given says why.
    private Task SettleRefusalAsync(string id, bool answered, IReadOnlyDictionary<string, string[]> errors) =>
        answered ? WriteRefusedAsync(id, errors) : RemoveRowAsync(id);

    private Task WriteRefusedAsync(string id, IReadOnlyDictionary<string, string[]> errors)
    {
        string text = string.Join("; ", errors.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}"));
        return _commands.UpdateEntityAsync(new TableEntity(id, CommandRow)
        {
            ["Planned"] = true,
            ["Ranges"] = "",
            ["Transactions"] = 0,
            ["PlannedTime"] = DateTimeOffset.UtcNow,
            ["Refusal"] = "Refused after it was accepted, nothing was sent: " + (text.Length <= MaxRefusalChars ? text : text[..MaxRefusalChars] + "…"),
        }, ETag.All, TableUpdateMode.Merge, CancellationToken.None);
    }

    // The row was written before admission (so a crash leaves it for ResumePendingAsync); a refused command
    // must leave nothing behind, so the same key can be used again once the cause is fixed.
    private async Task RemoveRowAsync(string id)
    {
        try
        {
            await _commands.DeleteEntityAsync(id, CommandRow, ETag.All, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        // Without the command row a large input's continuation rows are unused, so this is best effort: a storage error
        // here must not fail the refusal (nor the batch it is part of), and a row it leaves behind is harmless.
        try
        {
            await CommandInputRows.DeleteAsync(_commands, id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
        }
    }
}
