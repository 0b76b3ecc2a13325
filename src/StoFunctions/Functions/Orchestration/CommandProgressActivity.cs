using StoFunctions.Composition;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Activity <c>CommandProgress</c>: one read of a command's ledger rows (the states of those not found ended by the
/// previous read while it runs; once they have ended, the same read as <c>GET /api/commands/{id}</c>), coarse on
/// purpose: one activity per poll of the whole command, never one per transaction. It only reads, so a redelivered run
/// is harmless.
/// </summary>
public sealed class CommandProgressActivity(Platform platform)
{
    /// <summary>The activity's function name.</summary>
    public const string Name = "CommandProgress";

    /// <summary>Reads the progress of the command <paramref name="query"/> names; the output only once it is terminal.</summary>
    [Function(Name)]
    public async Task<CommandPoll> RunAsync([ActivityTrigger] CommandProgressQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // While it runs, the counts alone: the full status reads the input and every row's content, megabytes for a
        // large distribution, once a second. The full read comes once, when the counts say the command has ended; it
        // starts the next read from the first row again, in case it found a row reopened.
        if (await platform.Commands.GetOpenProgressAsync(query.CommandId, query.Ended, cancellationToken).ConfigureAwait(false) is { } open)
        {
            return new CommandPoll(Found: true, Terminal: false, open.Progress, Output: null, open.Ended);
        }

        CommandStatus? status = await platform.Commands.GetStatusAsync(query.CommandId, cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            return new CommandPoll(Found: false, Terminal: true, Progress: null, Output: null);
        }

        bool terminal = status.RuntimeStatus is CommandRuntimeStatus.Completed or CommandRuntimeStatus.Failed;
        return new CommandPoll(Found: true, terminal, status.CustomStatus, terminal ? status.Output : null);
    }
}
