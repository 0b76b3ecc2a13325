using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace StoFunctions.Functions.Orchestration;

/// <summary>Schedules an orchestration instance with a fixed id, telling a refusal (the instance is there) from a failure.</summary>
internal static class InstanceScheduling
{
    /// <summary>
    /// Schedules <paramref name="orchestrator"/> as <paramref name="options"/>' instance. When the backend refuses,
    /// the instance is read: if <paramref name="refusedFor"/> holds for it, the refusal was the outcome wanted and
    /// false is returned; otherwise the failure is rethrown.
    /// </summary>
    /// <returns>True when this call scheduled the instance.</returns>
    public static async Task<bool> ScheduleAsync(DurableTaskClient client, string orchestrator, object input, StartOrchestrationOptions options, Func<OrchestrationMetadata, bool> refusedFor, CancellationToken cancellationToken)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(orchestrator), input, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            // The refusal's exception type differs by client (gRPC AlreadyExists in the Functions host, the backend's
            // own in the local host): the instance being there is what tells a refusal from a failure.
            if (await client.GetInstanceAsync(options.InstanceId!, getInputsAndOutputs: false, CancellationToken.None).ConfigureAwait(false) is { } existing && refusedFor(existing))
            {
                return false;
            }

            throw;
        }
    }
}
