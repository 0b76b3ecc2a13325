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
    /// them (a 2,000-row distribution takes ≈ 41 of those in a row). The submission still answers only when all are.
    /// It must not throw or block; the intake wakes the lane again after the submission anyway.
    /// </summary>
    public Action? FirstNoncesWritten { get; init; }
}
