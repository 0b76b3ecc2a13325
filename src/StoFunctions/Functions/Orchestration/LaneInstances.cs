using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.Orchestration;

/// <summary>The lane orchestration's fixed instance id per chain and sender, and starting it when it is not running.</summary>
public static class LaneInstances
{
    /// <summary>The instance id of <paramref name="lane"/>'s orchestration: <c>lane-{chainId}-{sender}</c>.</summary>
    public static string IdOf(LaneId lane) => "lane-" + lane.PartitionKey;

    /// <summary>
    /// Starts <see cref="LaneOrchestrator"/> for <paramref name="lane"/> unless its instance is pending or running. An
    /// ended instance (terminated by an operator, or failed) is replaced; two callers racing both try and the backend
    /// refuses the second.
    /// </summary>
    /// <returns>True when this call started it.</returns>
    public static async Task<bool> EnsureRunningAsync(DurableTaskClient client, LaneId lane, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        string id = IdOf(lane);
        if (await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is { } instance && !instance.IsCompleted)
        {
            return false;
        }

        // A caller racing this one may start it first; that refusal is the outcome wanted.
        return await InstanceScheduling.ScheduleAsync(client, LaneOrchestrator.Name, true, new StartOrchestrationOptions(id), existing => !existing.IsCompleted, cancellationToken).ConfigureAwait(false);
    }
}
