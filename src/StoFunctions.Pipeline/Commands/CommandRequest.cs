using System.Text.Json;

namespace StoFunctions.Pipeline.Commands;

/// <summary>A command as accepted by intake (HTTP, queue or blob), before it is persisted.</summary>
/// <param name="Name">The command name; an <see cref="Planning.ICommandPlanner"/> of that name must be registered.</param>
/// <param name="IdempotencyKey">The client's key; the command id is derived from it. Null → a fresh id (no deduplication).</param>
/// <param name="Input">The validated input (JSON), stored with the command and replayed to its planner after a crash.</param>
public sealed record CommandRequest(string Name, string? IdempotencyKey, JsonElement Input)
{
    /// <summary>
    /// Called at most once, from the nonce allocation, when the first transactions of a command too large for one
    /// entity-group transaction are durable while the rest are still being written, so the lane can start sending
    /// them (a 2,000-row distribution takes ≈ 41 of those in a row). It must not throw or block; <see cref="Allocated"/>
    /// follows when all are.
    /// </summary>
    public Action? FirstNoncesWritten { get; init; }

    /// <summary>
    /// Answer once the command is persisted and its batch's admission (<see cref="ICommandAdmission"/>) passed, and
    /// allocate its nonces after that (the HTTP intake: a 2,000-row distribution's allocation is ≈ 41 entity-group
    /// transactions in a row, which its 202 need not wait for). Invalid input and a refused admission still answer
    /// with their errors and leave nothing behind. An allocation that fails afterwards is resumed by
    /// <see cref="CommandService.ResumePendingAsync"/>; a refusal found only afterwards (a business key taken meanwhile
    /// with other content, a re-plan after a crash refused) fails the command instead of removing it, so its status
    /// URL keeps answering.
    /// </summary>
    public bool AnswerWhenAdmitted { get; init; }

    /// <summary>
    /// Called once all the command's nonces are durable (with <see cref="AnswerWhenAdmitted"/> this is after the
    /// answer, so the intake wakes the lane here). It must not throw or block.
    /// </summary>
    public Action? Allocated { get; init; }
}
