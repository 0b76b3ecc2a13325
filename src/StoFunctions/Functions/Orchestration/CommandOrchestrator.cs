using Microsoft.DurableTask;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Orchestration <c>CommandOrchestrator</c>: one instance per command (a single transfer has none:
/// <see cref="CommandInstances.HasOwnInstance"/>), instance id = the command id (which
/// derives from the idempotency key, so a second submission finds the instance). The submission planned the
/// command's transactions and the lane sends them; the orchestration follows them: it calls
/// <see cref="CommandProgressActivity"/> when it starts (one first wait after the submission, see
/// <see cref="CommandInstances"/>) and then after each durable timer (<see cref="PollSchedule"/>), publishes its counts as
/// <c>customStatus</c> and ends with the command output once every transaction is terminal.
/// </summary>
public static class CommandOrchestrator
{
    /// <summary>The orchestrator's function name.</summary>
    public const string Name = nameof(CommandOrchestrator);

    // Each poll adds a handful of history events; a command waiting for a stuck nonce polls for hours, so the
    // history is restarted (ContinueAsNew) before replaying it costs more than the poll.
    private const int PollsPerHistory = 100;

    /// <summary>Follows the command whose id is the input until it is terminal.</summary>
    [Function(Name)]
    public static async Task<CommandOutput?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string commandId = context.GetInput<string>() ?? context.InstanceId;
        TimeSpan wait = PollSchedule.First;
        CommandProgress? last = null;
        EndedPrefix? ended = null;
        for (int poll = 0; poll < PollsPerHistory; poll++)
        {
            // The first read needs no timer: the instance was scheduled to start one first wait after the command
            // was planned (a single transfer on a dev chain is usually terminal by then). After ContinueAsNew it
            // reads at once, one read early for a command that has been open for a hundred polls.
            if (poll > 0)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None).ConfigureAwait(true);
            }

            CommandPoll? read = null;
            try
            {
                read = await context.CallActivityAsync<CommandPoll>(CommandProgressActivity.Name, new CommandProgressQuery(commandId, ended)).ConfigureAwait(true);
            }
            catch (TaskFailedException)
            {
                // Storage or the node unreachable for this read: the ledger still holds the truth, the next poll reads it.
            }

            if (read is { Found: false })
            {
                return null;
            }

            if (read?.Progress is { } progress)
            {
                context.SetCustomStatus(progress);
                ended = read.Ended;
            }

            if (read is { Terminal: true })
            {
                return read.Output;
            }

            wait = PollSchedule.Next(wait, last, read?.Progress);
            last = read?.Progress;
        }

        context.ContinueAsNew(commandId);
        return null;
    }
}
