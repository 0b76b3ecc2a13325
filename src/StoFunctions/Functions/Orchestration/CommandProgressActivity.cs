using StoFunctions.Composition;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Activity <c>CommandProgress</c>: one read of a command's ledger rows (the same read as today's
/// <c>GET /api/commands/{id}</c>), coarse on purpose: one activity per poll of the whole command, never one
/// per transaction. It only reads, so a redelivered run is harmless.
/// </summary>
public sealed class CommandProgressActivity(Platform platform)
{
    /// <summary>The activity's function name.</summary>
    public const string Name = "CommandProgress";

    /// <summary>Reads command <paramref name="commandId"/>'s progress; the output only once it is terminal.</summary>
    [Function(Name)]
    public async Task<CommandPoll> RunAsync([ActivityTrigger] string commandId, CancellationToken cancellationToken)
    {
        CommandStatus? status = await platform.Commands.GetStatusAsync(commandId, cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            return new CommandPoll(Found: false, Terminal: true, Progress: null, Output: null);
        }

        bool terminal = status.RuntimeStatus is CommandRuntimeStatus.Completed or CommandRuntimeStatus.Failed;
        return new CommandPoll(Found: true, terminal, status.CustomStatus, terminal ? status.Output : null);
    }
}
