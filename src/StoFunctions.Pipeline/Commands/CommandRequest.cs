using System.Text.Json;

namespace StoFunctions.Pipeline.Commands;

/// <summary>A command as accepted by intake (HTTP, queue or blob), before it is persisted.</summary>
/// <param name="Name">The command name; an <see cref="Planning.ICommandPlanner"/> of that name must be registered.</param>
/// <param name="IdempotencyKey">The client's key; the command id is derived from it. Null → a fresh id (no deduplication).</param>
/// <param name="Input">The validated input (JSON), stored with the command and replayed to its planner after a crash.</param>
public sealed record CommandRequest(string Name, string? IdempotencyKey, JsonElement Input);
