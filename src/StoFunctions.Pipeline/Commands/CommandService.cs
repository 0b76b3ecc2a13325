using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using StoFunctions.Azure.Storage.Tables;
using StoFunctions.Ethereum.Rpc;
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
    private const int InputChunkChars = 30_000;

    private readonly TableClient _commands;
    private readonly LedgerTable _ledger;
    private readonly NonceAllocator _allocator;
    private readonly JsonRpcClient _rpc;
    private readonly IReadOnlyDictionary<string, ICommandPlanner> _planners;
    private readonly FaultInjector _faults;
    private readonly Action<LaneId> _wake;
    private readonly ICommandAdmission[] _admissions;
    private readonly LedgerReconciler _reconciler;

    /// <summary>Creates the service for commands sent by <paramref name="lane"/>.</summary>
    /// <param name="commands">The commands table.</param>
    /// <param name="ledger">The ledger.</param>
    /// <param name="rpc">The chain (for the pending-count floor of nonce allocation).</param>
    /// <param name="lane">The sending lane of every command.</param>
    /// <param name="planners">One planner per command name.</param>
    /// <param name="faults">Crash points (tests).</param>
    /// <param name="wake">Called after new transactions were allocated (e.g. <c>LaneHost.Wake</c>).</param>
    /// <param name="admissions">Checks every submission batch passes before its nonces are allocated.</param>
    /// <param name="reconciler">Rebuilds the ledger from the chain when the chain is ahead (invariant 0); default: one with <see cref="LaneOptions"/>' defaults and no log.</param>
    public CommandService(TableClient commands, LedgerTable ledger, JsonRpcClient rpc, LaneId lane, IEnumerable<ICommandPlanner> planners, FaultInjector? faults = null, Action<LaneId>? wake = null, IEnumerable<ICommandAdmission>? admissions = null, LedgerReconciler? reconciler = null)
    {
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
        await _commands.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _ledger.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates, persists and plans a command; returns its id. The same idempotency key with the same name and
    /// body returns the same id without new work (finishing planning if a crash interrupted it).
    /// </summary>
    /// <exception cref="CommandValidationException">The input is invalid or the name unknown; nothing was persisted (400).</exception>
    /// <exception cref="CommandConflictException">The key belongs to a different body (409).</exception>
    public async Task<string> SubmitAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        ICommandPlanner planner = PlannerFor(request.Name);

        // Planners read the ledger (e.g. which business keys hold a nonce); after a lost ledger they must see the
        // rows rebuilt from the chain (invariant 0).
        await _reconciler.EnsureReconciledAsync(Lane, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TransactionIntent> intents = await planner.PlanAsync(request.Input, cancellationToken).ConfigureAwait(false);
        if (intents.Count == 0)
        {
            throw new CommandValidationException(new Dictionary<string, string[]> { ["input"] = ["The command plans no transaction."] });
        }

        string id = request.IdempotencyKey is { } key ? CommandKeys.IdFor(key) : CommandKeys.NewId();
        string fingerprint = CommandKeys.Fingerprint(request.Name, request.Input);
        var row = new TableEntity(id, CommandRow)
        {
            ["Name"] = request.Name,
            ["Fingerprint"] = fingerprint,
            ["Lane"] = Lane.PartitionKey,
            ["Planned"] = false,
            ["CreatedTime"] = DateTimeOffset.UtcNow,
        };
        WriteInput(row, request.Input.GetRawText());
        try
        {
            await _commands.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            TableEntity existing = (await _commands.GetEntityAsync(id, CommandRow, cancellationToken).ConfigureAwait(false)).Value;
            if (existing.GetString("Fingerprint") != fingerprint)
            {
                throw new CommandConflictException(id, request.IdempotencyKey!);
            }

            if (existing.GetBoolean("Planned") == true)
            {
                return id;
            }
        }

        await PlanAsync(new PlannedCommand(id, request.Name, request.Input, intents), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Re-plans every command whose planning was interrupted (call at startup and on the timer sweep).</summary>
    /// <returns>How many commands were planned.</returns>
    public async Task<int> ResumePendingAsync(CancellationToken cancellationToken = default)
    {
        await _reconciler.EnsureReconciledAsync(Lane, cancellationToken).ConfigureAwait(false);
        string filter = TableFilter.Create($"Lane eq {Lane.PartitionKey} and Planned eq {false}");
        var pending = new List<TableEntity>();
        await foreach (TableEntity e in _commands.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            pending.Add(e);
        }

        foreach (TableEntity e in pending)
        {
            JsonElement input = JsonDocument.Parse(ReadInput(e)).RootElement.Clone();
            string name = e.GetString("Name")!;
            IReadOnlyList<TransactionIntent> intents = await PlannerFor(name).PlanAsync(input, cancellationToken).ConfigureAwait(false);
            try
            {
                await PlanAsync(new PlannedCommand(e.PartitionKey, name, input, intents), cancellationToken).ConfigureAwait(false);
            }
            catch (CommandValidationException)
            {
                // Refused at admission (e.g. the balance is gone meanwhile): its row was removed, nothing was sent.
            }
        }

        return pending.Count;
    }

    /// <summary>The status of command <paramref name="id"/> (design/api.md), or null when it does not exist.</summary>
    public async Task<CommandStatus?> GetStatusAsync(string id, CancellationToken cancellationToken = default)
    {
        TableEntity row;
        try
        {
            row = (await _commands.GetEntityAsync(id, CommandRow, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        using JsonDocument input = JsonDocument.Parse(ReadInput(row));
        DateTimeOffset created = row.GetDateTimeOffset("CreatedTime")!.Value;
        var rows = new List<LedgerTransaction>();
        if (row.GetBoolean("Planned") == true)
        {
            foreach ((ulong from, ulong to) in ParseRanges(row.GetString("Ranges") ?? ""))
            {
                rows.AddRange(await _ledger.GetTransactionsAsync(Lane, from, to, cancellationToken).ConfigureAwait(false));
            }
        }

        return CommandStatusBuilder.Build(id, row.GetString("Name")!, input.RootElement.Clone(), row.GetBoolean("Planned") == true, rows, created, row.Timestamp ?? created);
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

    // A string property holds at most 32K UTF-16 characters (64 KiB); a large input is split over numbered
    // properties of the same row (the entity's 1 MiB limit allows ~15 of them).
    private static void WriteInput(TableEntity row, string json)
    {
        int chunks = (json.Length + InputChunkChars - 1) / InputChunkChars;
        if (chunks > 15)
        {
            throw new CommandValidationException(new Dictionary<string, string[]> { ["input"] = [$"The input is {json.Length} characters; at most {15 * InputChunkChars} are stored per command. Split the command."] });
        }

        row["InputChunks"] = Math.Max(chunks, 1);
        for (int i = 0; i < Math.Max(chunks, 1); i++)
        {
            row["Input" + i.ToString(CultureInfo.InvariantCulture)] = json.Substring(i * InputChunkChars, Math.Min(InputChunkChars, json.Length - (i * InputChunkChars)));
        }
    }

    private static string ReadInput(TableEntity row)
    {
        var text = new StringBuilder();
        int chunks = row.GetInt32("InputChunks") ?? 1;
        for (int i = 0; i < chunks; i++)
        {
            text.Append(row.GetString("Input" + i.ToString(CultureInfo.InvariantCulture)));
        }

        return text.ToString();
    }
}
