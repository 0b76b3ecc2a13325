using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Starts a command's orchestration once: the instance id is the command id, so a repeated submission (same
/// idempotency key) finds the existing instance and schedules nothing.
/// </summary>
public static class CommandInstances
{
    /// <summary>
    /// Schedules <see cref="CommandOrchestrator"/> for <paramref name="commandId"/> unless an instance with that id
    /// exists. Two submissions racing past the read both try; the backend refuses the second (an existing
    /// instance), which is the outcome wanted.
    /// </summary>
    /// <returns>True when this call scheduled the instance.</returns>
    public static async Task<bool> StartAsync(DurableTaskClient client, string commandId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(commandId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(CommandOrchestrator.Name), commandId, new StartOrchestrationOptions(commandId), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            if (await client.GetInstanceAsync(commandId, getInputsAndOutputs: false, CancellationToken.None).ConfigureAwait(false) is null)
            {
                throw;
            }

            return false;
        }
    }
}
