using Microsoft.DurableTask.Client;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// The <c>GET /api/commands/{id}</c> answer (design/api.md's shape) when the command has an orchestration
/// instance: a completed instance answers alone (its output is the command output, its customStatus the
/// counts; only the command row is read for name and input); a running one gives <c>customStatus</c> (its last
/// poll) over the ledger's status, unless the ledger is already terminal (the instance lags by at most a poll, or
/// by a lease expiry after a crash). A failed or terminated instance says nothing about the transactions, so the
/// ledger (the record) answers as it does without an instance.
/// </summary>
public static class CommandInstanceStatus
{
    /// <summary>The status of command <paramref name="accepted"/> from its completed <paramref name="instance"/>, or null when the instance cannot answer alone.</summary>
    public static CommandStatus? FromCompleted(OrchestrationMetadata instance, AcceptedCommand accepted)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(accepted);
        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed || instance.SerializedOutput is null or "null"
            || instance.ReadOutputAs<CommandOutput>() is not { } output || instance.ReadCustomStatusAs<CommandProgress>() is not { } progress
            || output.Transactions.Count == 0)
        {
            // No transaction: a command refused after its 202 (its row holds why), which the ledger path reports.
            return null;
        }

        CommandTransaction? failed = output.Transactions.FirstOrDefault(t => t.Status is "Failed" or "Rejected" or "NonceConsumedExternally");
        return new CommandStatus
        {
            Id = accepted.Id,
            Name = accepted.Name,
            RuntimeStatus = progress.Failed == 0 ? CommandRuntimeStatus.Completed : CommandRuntimeStatus.Failed,
            Input = accepted.Input,
            CustomStatus = progress,
            Output = output,
            Error = progress.Failed == 0 || failed is null ? null : $"nonce {failed.Nonce}: {failed.Error ?? failed.Status}",
            CreatedTime = accepted.CreatedTime,
            LastUpdatedTime = instance.LastUpdatedAt,
        };
    }

    /// <summary>
    /// <paramref name="ledger"/> (the status computed from the ledger rows) as the running <paramref name="instance"/>
    /// reports it; <paramref name="ledger"/> unchanged when the instance has ended without an answer.
    /// </summary>
    public static CommandStatus WhileRunning(OrchestrationMetadata instance, CommandStatus ledger)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(ledger);
        // A ledger that is already terminal is ahead of the instance's last poll (up to one poll interval, or a lease
        // expiry after a crashed host): the record answers; the instance ends with the same output at its next poll.
        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
            || ledger.RuntimeStatus is CommandRuntimeStatus.Completed or CommandRuntimeStatus.Failed)
        {
            return ledger;
        }

        return ledger with
        {
            RuntimeStatus = ledger.RuntimeStatus == CommandRuntimeStatus.Pending ? CommandRuntimeStatus.Pending : CommandRuntimeStatus.Running,
            CustomStatus = instance.SerializedCustomStatus is { } custom && custom != "null" && instance.ReadCustomStatusAs<CommandProgress>() is { } progress ? progress : ledger.CustomStatus,
            Error = null,
        };
    }
}
