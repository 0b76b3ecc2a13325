using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Starts a command's orchestration once: the instance id is the command id, so a repeated submission (same
/// idempotency key) finds the existing instance and schedules nothing.
/// </summary>
public static class CommandInstances
{
    // Every status a creation request may be refused for: an instance with the id, running or ended, is never
    // replaced (the Functions host's default replaces an ended one, which would run a finished command's
    // orchestration again). The backend checks this while it creates, so no read of our own goes before it.
    private static readonly OrchestrationRuntimeStatus[] s_refusedFor = [.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses];

    /// <summary>
    /// False for a single transfer: it is followed by the lane orchestration alone and answered from its ledger row.
    /// It is the command clients send by the thousand, and an instance of its own costs ≈ 23 storage requests
    /// (instance row, history, control and work-item queues) against ≈ 12 for the whole pipeline; on Azurite that
    /// halved the rate single transfers were accepted at, and their instances' polls queued ahead of the lane's
    /// slices in the shared work-item queue (README, "What a small command costs"). Every other command keeps its
    /// instance.
    /// </summary>
    public static bool HasOwnInstance(string commandName) => commandName != "transfer";

    /// <summary>
    /// Schedules <see cref="CommandOrchestrator"/> for <paramref name="commandId"/> unless an instance with that id
    /// exists, in any status. Two submissions racing both try; the backend refuses the second, which is the
    /// outcome wanted.
    /// </summary>
    /// <returns>True when this call scheduled the instance.</returns>
    public static async Task<bool> StartAsync(DurableTaskClient client, string commandId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        // Started one first wait from now rather than sleeping on a durable timer first: a timer is a whole
        // episode (history read and write, instance row update, a control message put, got and deleted), about
        // a quarter of what following a command costs, and the command is rarely over the moment it is planned.
        StartOrchestrationOptions options = new StartOrchestrationOptions(commandId, DateTimeOffset.UtcNow + PollSchedule.First).WithDedupeStatuses(s_refusedFor);
        return await InstanceScheduling.ScheduleAsync(client, CommandOrchestrator.Name, commandId, options, _ => true, cancellationToken).ConfigureAwait(false);
    }
}
