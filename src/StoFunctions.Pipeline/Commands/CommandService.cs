using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// Accepts commands (idempotent per idempotency key), plans them into ledger transactions with nonces, and
/// reports their status in the shape of design/api.md. The status is computed from the ledger rows on read, so
/// it is never behind the lane. Planning is idempotent after a crash: <see cref="ResumePendingAsync"/> re-plans
/// commands whose planning did not finish, and intents whose business key already holds a nonce keep it.
/// </summary>
public sealed partial class CommandService
{
    private const string CommandRow = "command";

    // How long a submission's claim on a new command row keeps other submissions and the sweep away from its
    // planning. The row is written after the planner ran, so the claim covers admission and allocation only
    // (well under a second unloaded); a dead owner's command is resumed by the next sweep after it expires, and
    // an expiry while the owner still works only repeats idempotent work.
    private static readonly TimeSpan PlanningClaim = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(100);
    private static readonly IReadOnlyDictionary<string, string[]> EmptyPlan = new Dictionary<string, string[]> { ["input"] = ["The command plans no transaction."] };

    private readonly Lock _keyGate = new();
    private readonly Dictionary<string, Task> _submitting = new(StringComparer.Ordinal);

    private readonly TableClient _commands;
    private readonly LedgerTable _ledger;
    private readonly NonceAllocator _allocator;
    private readonly JsonRpcClient _rpc;
    private readonly IReadOnlyDictionary<string, ICommandPlanner> _planners;
    private readonly FaultInjector _faults;
    private readonly Action<LaneId> _wake;
    private readonly ICommandAdmission[] _admissions;
    private readonly LedgerReconciler _reconciler;
    private readonly ILogger _logger;

    /// <summary>Creates the service for commands sent by <paramref name="lane"/>.</summary>
    /// <param name="commands">The commands table.</param>
    /// <param name="ledger">The ledger.</param>
    /// <param name="rpc">The chain (for the pending-count floor of nonce allocation).</param>
    /// <param name="lane">The sending lane of every command.</param>
    /// <param name="planners">One planner per command name.</param>
    /// <param name="faults">Crash points (tests).</param>
    /// <param name="wake">Called after new transactions were allocated (tests wake an in-process lane with it; the app wakes its lane orchestration after each submission instead).</param>
    /// <param name="admissions">Checks every submission batch passes before its nonces are allocated.</param>
    /// <param name="reconciler">Rebuilds the ledger from the chain when the chain is ahead (invariant 0); default: one with <see cref="LaneOptions"/>' defaults and no log.</param>
    /// <param name="logger">Where planning that fails after its submitter was answered is reported; default: none.</param>
    public CommandService(TableClient commands, LedgerTable ledger, JsonRpcClient rpc, LaneId lane, IEnumerable<ICommandPlanner> planners, FaultInjector? faults = null, Action<LaneId>? wake = null, IEnumerable<ICommandAdmission>? admissions = null, LedgerReconciler? reconciler = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _reconciler = reconciler ?? new LedgerReconciler(ledger, rpc, NullLogger.Instance, new LaneOptions());
        _admissions = [.. admissions ?? []];
        _commands = commands;
        _ledger = ledger;
        _allocator = new NonceAllocator(ledger);
        _rpc = rpc;
        Lane = lane;
        _planners = planners.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _faults = faults ?? FaultInjector.None;
        _wake = wake ?? (_ => { });
    }

    /// <summary>The lane that sends this service's commands.</summary>
    public LaneId Lane { get; }

    /// <summary>Creates the commands and ledger tables if needed.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        await _commands.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _ledger.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates, persists and plans a command; returns its id. The same idempotency key with the same name and
    /// body (compared canonically, see <see cref="CommandKeys.Fingerprint"/>) returns the same id without new work
    /// (finishing planning if a crash interrupted it). Concurrent submissions of one key wait for the first: in
    /// this process behind a per-key gate, across instances on the command row's planning claim.
    /// </summary>
    /// <exception cref="CommandValidationException">The input is invalid or the name unknown; nothing was persisted (400).</exception>
    /// <exception cref="CommandConflictException">The key belongs to a different body (409).</exception>
    /// <exception cref="BusinessKeyConflictException">A business key of the command holds other content (409); nothing was persisted.</exception>
    public async Task<string> SubmitAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        if (request.IdempotencyKey is not { } key)
        {
            return await SubmitOnceAsync(request, CommandKeys.NewId(), cancellationToken).ConfigureAwait(false);
        }

        string id = CommandKeys.IdFor(key);
        while (true)
        {
            TaskCompletionSource? mine = null;
            Task? running;
            lock (_keyGate)
            {
                if (!_submitting.TryGetValue(id, out running))
                {
                    mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _submitting[id] = mine.Task;
                }
            }

            if (mine is null)
            {
                // The first submission's outcome is not ours (it may have had another body): once it is done, the row
                // it left answers this one quickly (planned → same id, different body → 409, removed → plan again).
                await running!.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                return await SubmitOnceAsync(request, id, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_keyGate)
                {
                    _submitting.Remove(id);
                }

                mine.SetResult();
            }
        }
    }

    private async Task<string> SubmitOnceAsync(CommandRequest request, string id, CancellationToken cancellationToken)
    {
        string fingerprint = CommandKeys.Fingerprint(request.Name, request.Input);
        while (true)
        {
            TableEntity? existing = request.IdempotencyKey is null ? null : await TryGetCommandAsync(id, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                ICommandPlanner planner = PlannerFor(request.Name);

                // Planners read the ledger (e.g. which business keys hold a nonce); after a lost ledger they must see the
                // rows rebuilt from the chain (invariant 0).
                await _reconciler.EnsureReconciledAsync(Lane, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<TransactionIntent> intents = await planner.PlanAsync(request.Input, cancellationToken).ConfigureAwait(false);
                if (intents.Count == 0)
                {
                    throw new CommandValidationException(EmptyPlan);
                }

                if (request.AnswerWhenAdmitted)
                {
                    // Answered before the allocation, which is where a business key holding other content is found:
                    // look for one now, while the submitter can still get the 409 and nothing is written.
                    await _allocator.ThrowIfConflictingAsync(Lane, id, intents, cancellationToken).ConfigureAwait(false);
                }

                var row = new TableEntity(id, CommandRow)
                {
                    ["Name"] = request.Name,
                    ["Fingerprint"] = fingerprint,
                    ["Lane"] = Lane.PartitionKey,
                    ["Planned"] = false,
                    ["CreatedTime"] = DateTimeOffset.UtcNow,
                    ["ClaimedUntil"] = DateTimeOffset.UtcNow + PlanningClaim,
                    ["AnsweredWhenAdmitted"] = request.AnswerWhenAdmitted,
                };
                // A large input's continuation rows go first: the command row is what makes the command exist.
                List<TableEntity> inputRows = CommandInputRows.Split(row, request.Input.GetRawText(), fingerprint);
                await CommandInputRows.WriteAsync(_commands, inputRows, cancellationToken).ConfigureAwait(false);
                try
                {
                    await _commands.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    continue; // another instance claimed the key between our read and our write: answer from its row
                }

                await PlanClaimedAsync(new PlannedCommand(id, request.Name, request.Input, intents, request), cancellationToken).ConfigureAwait(false);
                return id;
            }

            if (existing.GetString("Name") != request.Name
                || (existing.GetString("Fingerprint") is var stored && stored != fingerprint && stored != CommandKeys.LegacyFingerprint(request.Name, request.Input)))
            {
                throw new CommandConflictException(id, request.IdempotencyKey!);
            }

            if (existing.GetBoolean("Planned") == true)
            {
                return id;
            }

            // Another instance is planning it: wait for its claim to end rather than allocating the same intents twice.
            // A claim that expires (its owner died) or was released (planning failed) is taken over: planning is
            // idempotent per business key, so the worst case is a repeat of the owner's finished work.
            if (existing.GetDateTimeOffset("ClaimedUntil") is { } until && until > DateTimeOffset.UtcNow)
            {
                await Task.Delay(ClaimPoll, cancellationToken).ConfigureAwait(false);
                continue;
            }

            ICommandPlanner resumed = PlannerFor(request.Name);
            IReadOnlyList<TransactionIntent> again = await resumed.PlanAsync(request.Input, cancellationToken).ConfigureAwait(false);
            // A takeover answers when planned: the row it takes over says how an earlier refusal is settled, not this request.
            await PlanClaimedAsync(new PlannedCommand(id, request.Name, request.Input, again, request with { AnswerWhenAdmitted = false }, answered: existing.GetBoolean("AnsweredWhenAdmitted") == true), cancellationToken).ConfigureAwait(false);
            return id;
        }
    }

    // Plans a command whose row this submission owns; when planning fails for a reason other than the command's
    // own (which removes the row), the claim is released so a waiting or retrying submission takes over at once.
    // A command answered when admitted returns then; the rest of its planning goes on without this caller.
    private async Task PlanClaimedAsync(PlannedCommand command, CancellationToken cancellationToken)
    {
        Task planning = PlanAndReleaseOnFailureAsync(command);
        if (!command.AnswerWhenAdmitted)
        {
            await planning.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _ = planning.ContinueWith(t => Log.PlanningFailedAfterAnswer(_logger, command.Id, t.Exception!.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await command.Admission.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PlanAndReleaseOnFailureAsync(PlannedCommand command)
    {
        try
        {
            await PlanAsync(command).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (CommandValidationException or BusinessKeyConflictException))
        {
            try
            {
                await _commands.UpdateEntityAsync(new TableEntity(command.Id, CommandRow) { ["ClaimedUntil"] = DateTimeOffset.UnixEpoch }, ETag.All, TableUpdateMode.Merge, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Best effort: an unreleased claim only delays a takeover until it expires.
            }

            throw;
        }
    }

    private async Task<TableEntity?> TryGetCommandAsync(string id, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await _commands.GetEntityIfExistsAsync<TableEntity>(id, CommandRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Re-plans every command whose planning was interrupted (call at startup and on the timer sweep).</summary>
    /// <returns>How many commands were planned.</returns>
    public async Task<int> ResumePendingAsync(CancellationToken cancellationToken = default)
    {
        await _reconciler.EnsureReconciledAsync(Lane, cancellationToken).ConfigureAwait(false);
        string filter = TableClient.CreateQueryFilter($"Lane eq {Lane.PartitionKey} and Planned eq {false}");
        var pending = new List<TableEntity>();
        await foreach (TableEntity e in _commands.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            pending.Add(e);
        }

        // A live planning claim means a submission (maybe on another instance) is planning it right now.
        pending.RemoveAll(p => p.GetDateTimeOffset("ClaimedUntil") > DateTimeOffset.UtcNow);
        foreach (TableEntity e in pending)
        {
            JsonElement input = JsonDocument.Parse(await CommandInputRows.ReadAsync(_commands, e, cancellationToken).ConfigureAwait(false)).RootElement.Clone();
            string name = e.GetString("Name")!;
            IReadOnlyList<TransactionIntent>? intents = null;
            IReadOnlyDictionary<string, string[]>? refusal = null;
            try
            {
                intents = await PlannerFor(name).PlanAsync(input, cancellationToken).ConfigureAwait(false);
            }
            catch (CommandValidationException ex)
            {
                refusal = ex.Errors; // refused now; settled below like an empty plan
            }
            catch (BusinessKeyConflictException ex)
            {
                refusal = ex.Errors;
            }

            bool answered = e.GetBoolean("AnsweredWhenAdmitted") == true;
            if (intents is not { Count: > 0 })
            {
                await SettleResumedRefusalAsync(e.PartitionKey, answered, refusal ?? EmptyPlan, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await PlanAsync(new PlannedCommand(e.PartitionKey, name, input, intents, answered: answered)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is CommandValidationException or BusinessKeyConflictException)
            {
                // Refused at admission (e.g. the balance is gone meanwhile): its row was removed, nothing was sent.
            }
        }

        return pending.Count;
    }

    // The planner refuses an interrupted command now: its input no longer holds (the issuer's balance was spent after
    // a crash between the row write and planning), or its own mined transaction changed what the planner checks. The
    // ledger says what the command is. Without a transaction of its own nothing was sent, and its row goes as a refused
    // submission's does (a retry with the same key is planned afresh and answers why), unless its submitter was already
    // answered 202: then it is failed with the errors. With transactions, they were allocated before the crash and will
    // be sent: the command is marked planned with them, so its status shows them. Either way the sweep goes on to the
    // next pending command instead of stopping at this one on every round.
    private async Task SettleResumedRefusalAsync(string id, bool answered, IReadOnlyDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        List<ulong> nonces = await _ledger.GetCommandNoncesAsync(Lane, id, cancellationToken).ConfigureAwait(false);
        if (nonces.Count == 0)
        {
            await SettleRefusalAsync(id, answered, errors).ConfigureAwait(false);
            return;
        }

        await WritePlannedAsync(id, [.. nonces]).ConfigureAwait(false);
    }

    /// <summary>Command <paramref name="id"/>'s row (name, input, accepted time) without reading its ledger rows, or null.</summary>
    public async Task<AcceptedCommand?> GetAcceptedAsync(string id, CancellationToken cancellationToken = default)
    {
        return await TryGetCommandAsync(id, cancellationToken).ConfigureAwait(false) is { } row ? await AcceptedOfAsync(id, row, cancellationToken).ConfigureAwait(false) : null;
    }

    private async Task<AcceptedCommand> AcceptedOfAsync(string id, TableEntity row, CancellationToken cancellationToken)
    {
        using JsonDocument input = JsonDocument.Parse(await CommandInputRows.ReadAsync(_commands, row, cancellationToken).ConfigureAwait(false));
        return new AcceptedCommand(id, row.GetString("Name")!, input.RootElement.Clone(), row.GetDateTimeOffset("CreatedTime")!.Value);
    }

    /// <summary>
    /// Command <paramref name="id"/>'s counts while some of its transactions are still open, read from the command row
    /// and its rows' states alone (<see cref="LedgerTable.GetTransactionStatesAsync"/>): not its input, not the rows'
    /// content, and not the rows of <paramref name="ended"/> (what an earlier read found ended), whose counts it adds.
    /// Null when the command does not exist, is not planned, was refused, has rows missing or has ended: then
    /// <see cref="GetStatusAsync(string, CancellationToken)"/> answers (and repairs missing rows). What a command's
    /// orchestration polls; the counts are those of its status.
    /// </summary>
    public async Task<OpenProgress?> GetOpenProgressAsync(string id, EndedPrefix? ended = null, CancellationToken cancellationToken = default)
    {
        if (await TryGetCommandAsync(id, cancellationToken).ConfigureAwait(false) is not { } row || row.GetBoolean("Planned") != true || row.GetString("Refusal") is not null)
        {
            return null;
        }

        ((ulong From, ulong To)[] ranges, int nonceCount) = PlannedNonces(row);
        // A prefix read before the command row was written again (its rows lost and planned anew) names other nonces.
        EndedPrefix? skipped = ended is { Rows: > 0 } e && e.Rows < nonceCount && NonceAt(ranges, e.Rows - 1) == e.Through ? e : null;
        int skip = skipped?.Rows ?? 0;
        var states = new List<(TransactionState State, bool Rejected)>(nonceCount - skip);
        foreach ((ulong from, ulong to) in RangesAfter(ranges, skip))
        {
            states.AddRange(await _ledger.GetTransactionStatesAsync(Lane, from, to, cancellationToken).ConfigureAwait(false));
        }

        if (states.Count != nonceCount - skip || states.All(CommandStatusBuilder.Ended))
        {
            return null;
        }

        int lead = states.TakeWhile(CommandStatusBuilder.Ended).Count();
        CommandProgress open = CommandStatusBuilder.Progress(states, states.Count);
        CommandProgress leading = CommandStatusBuilder.Progress(states[..lead], lead);
        int confirmedBefore = skipped?.Confirmed ?? 0, failedBefore = skipped?.Failed ?? 0;
        CommandProgress progress = open with { Transactions = nonceCount, Confirmed = confirmedBefore + open.Confirmed, Failed = failedBefore + open.Failed };
        EndedPrefix? next = skip + lead == 0 ? null
            : new EndedPrefix(skip + lead, NonceAt(ranges, skip + lead - 1), confirmedBefore + leading.Confirmed, failedBefore + leading.Failed);
        return new OpenProgress(progress, next);
    }

    /// <summary>The nonce at position <paramref name="index"/> of a command's nonces, in the order of its ranges.</summary>
    internal static ulong NonceAt((ulong From, ulong To)[] ranges, int index)
    {
        ulong left = (ulong)index;
        foreach ((ulong from, ulong to) in ranges)
        {
            if (left <= to - from)
            {
                return from + left;
            }

            left -= to - from + 1;
        }

        throw new ArgumentOutOfRangeException(nameof(index), index, "The command has fewer nonces.");
    }

    /// <summary>A command's nonce ranges without its first <paramref name="skip"/> nonces.</summary>
    internal static IEnumerable<(ulong From, ulong To)> RangesAfter((ulong From, ulong To)[] ranges, int skip)
    {
        ulong left = (ulong)skip;
        foreach ((ulong from, ulong to) in ranges)
        {
            if (left > to - from)
            {
                left -= to - from + 1;
                continue;
            }

            yield return (from + left, to);
            left = 0;
        }
    }

    /// <summary>The status of command <paramref name="id"/> (design/api.md), or null when it does not exist.</summary>
    public Task<CommandStatus?> GetStatusAsync(string id, CancellationToken cancellationToken = default) =>
        GetStatusAsync(id, static _ => Task.FromResult<CommandStatus?>(null), cancellationToken);

    /// <summary>
    /// As <see cref="GetStatusAsync(string, CancellationToken)"/>, but once the command row is read and says the
    /// command is planned, <paramref name="answer"/> may answer instead of the ledger (e.g. from a finished
    /// orchestration instance); when it returns null the ledger rows answer. One read of the command row serves both.
    /// </summary>
    /// <remarks>
    /// Not before it is planned: an instance that finished before the command row was (re)written belongs to the
    /// command as it was before its rows were lost (storage lost, the instance kept), and would answer Completed while
    /// the retry is still being planned.
    /// </remarks>
    public async Task<CommandStatus?> GetStatusAsync(string id, Func<AcceptedCommand, Task<CommandStatus?>> answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (await TryGetCommandAsync(id, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return null;
        }

        AcceptedCommand accepted = await AcceptedOfAsync(id, row, cancellationToken).ConfigureAwait(false);
        bool planned = row.GetBoolean("Planned") == true;
        if (planned && await answer(accepted).ConfigureAwait(false) is { } answered)
        {
            return answered;
        }

        DateTimeOffset created = accepted.CreatedTime;

        ((ulong From, ulong To)[] ranges, int nonceCount) = PlannedNonces(row);
        List<LedgerTransaction> rows = await ReadRowsAsync(ranges, cancellationToken).ConfigureAwait(false);
        if (rows.Count < nonceCount)
        {
            // Rows lost while the command row survived: the chain has what was sent, so rebuild those rows before
            // answering (the status builder keeps a command with missing rows Running rather than Completed). The
            // rows are read again whatever this repair wrote: a concurrent one (another reader's, the lane's) may
            // have written them first, and this one then finds them there and writes nothing.
            var present = rows.Select(r => r.Nonce).ToHashSet();
            ulong firstMissing = ranges.SelectMany(r => Nonces(r.From, r.To)).First(n => !present.Contains(n));
            await _reconciler.RepairAsync(Lane, id, nonceCount - rows.Count, firstMissing, cancellationToken).ConfigureAwait(false);
            rows = await ReadRowsAsync(ranges, cancellationToken).ConfigureAwait(false);
        }

        CommandStatus status = CommandStatusBuilder.Build(id, accepted.Name, accepted.Input, planned, nonceCount, rows, created, row.Timestamp ?? created, row.GetString("Refusal"));
        if (status.Output is { } output && _planners.TryGetValue(status.Name, out ICommandPlanner? planner) && planner is ICommandEventOutputs events)
        {
            await AddEventOutputsAsync(output, rows, events.EventOutputs, cancellationToken).ConfigureAwait(false);
        }

        return status;
    }

    // The nonce ranges a command row lists once it is planned (none before), and how many nonces they hold.
    private static ((ulong From, ulong To)[] Ranges, int Count) PlannedNonces(TableEntity row)
    {
        (ulong From, ulong To)[] ranges = row.GetBoolean("Planned") == true ? [.. ParseRanges(row.GetString("Ranges") ?? "")] : [];
        return (ranges, ranges.Sum(r => checked((int)(r.To - r.From + 1))));
    }

    private async Task<List<LedgerTransaction>> ReadRowsAsync((ulong From, ulong To)[] ranges, CancellationToken cancellationToken)
    {
        var rows = new List<LedgerTransaction>();
        foreach ((ulong from, ulong to) in ranges)
        {
            rows.AddRange(await _ledger.GetTransactionsAsync(Lane, from, to, cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    private static IEnumerable<ulong> Nonces(ulong from, ulong to)
    {
        for (ulong n = from; n <= to; n++)
        {
            yield return n;
        }
    }

    // Ids the chain assigned (snapshot, payout, ballot) are in the logs of the command's successful transactions.
    private async Task AddEventOutputsAsync(CommandOutput output, List<LedgerTransaction> rows, IReadOnlyList<EventOutput> events, CancellationToken cancellationToken)
    {
        foreach (LedgerTransaction tx in rows.Where(r => r.RejectedError is null && r.State is TransactionState.Mined or TransactionState.Confirmed && r.MinedHash is not null))
        {
            TransactionReceipt? receipt = await _rpc.GetTransactionReceiptAsync(tx.MinedHash!.Value, cancellationToken).ConfigureAwait(false);
            foreach (LogEntry log in receipt?.Logs ?? [])
            {
                if (log.Removed || log.Topics.Count == 0)
                {
                    continue;
                }

                foreach (EventOutput wanted in events.Where(e => e.Topic == log.Topics[0]))
                {
                    UInt256 value = wanted.Read(log);
                    output.Addresses[wanted.Name] = value <= (UInt256)ulong.MaxValue ? (object)(ulong)value : value.ToString();
                }
            }
        }
    }

    private ICommandPlanner PlannerFor(string name) =>
        _planners.TryGetValue(name, out ICommandPlanner? planner)
            ? planner
            : throw new CommandValidationException(new Dictionary<string, string[]> { ["command"] = [$"Unknown command '{name}'. Known: {string.Join(", ", _planners.Keys)}."] });

    internal static string FormatRanges(IEnumerable<ulong> nonces)
    {
        var parts = new List<string>();
        ulong[] sorted = [.. nonces.Distinct().Order()];
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{sorted[i]}-{sorted[j]}"));
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    internal static IEnumerable<(ulong From, ulong To)> ParseRanges(string ranges)
    {
        foreach (string part in ranges.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] bounds = part.Split('-');
            yield return (ulong.Parse(bounds[0], CultureInfo.InvariantCulture), ulong.Parse(bounds[1], CultureInfo.InvariantCulture));
        }
    }
}
