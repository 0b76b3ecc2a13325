using System.Text.Json;

namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// The status payload of <c>GET /api/commands/{id}</c> (design/api.md, binding shape), modelled on Durable
/// Functions' status so Azure users recognise it. Serialize with camelCase names.
/// </summary>
public sealed record CommandStatus
{
    /// <summary>The command id.</summary>
    public required string Id { get; init; }

    /// <summary>The command name, e.g. <c>issue</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Pending | Running | Completed | Failed.</summary>
    public required CommandRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>The stored input.</summary>
    public required JsonElement Input { get; init; }

    /// <summary>Counts of the command's transactions per state.</summary>
    public required CommandProgress CustomStatus { get; init; }

    /// <summary>Transaction hashes, states and created contract addresses; null until planned.</summary>
    public CommandOutput? Output { get; init; }

    /// <summary>Why the command failed (the first failed transaction's reason), else null.</summary>
    public string? Error { get; init; }

    /// <summary>When the command was accepted.</summary>
    public required DateTimeOffset CreatedTime { get; init; }

    /// <summary>The newest change of the command or any of its transactions.</summary>
    public required DateTimeOffset LastUpdatedTime { get; init; }
}
