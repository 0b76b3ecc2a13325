using System.Text.Json.Serialization;

namespace StoFunctions.Runtime;

/// <summary>
/// A timer's persisted status (Functions' <c>ScheduleStatus</c>, JSON <c>{Last, Next, LastUpdated}</c> in
/// <c>azure-webjobs-hosts/timers/{hostId}/{function}/status</c>): the last occurrence run and the next one
/// due, from which a missed occurrence is recognised as past due after a gap.
/// </summary>
public sealed record ScheduleStatus
{
    /// <summary>The last occurrence that ran.</summary>
    [JsonPropertyName("Last")]
    public DateTimeOffset Last { get; init; }

    /// <summary>The next occurrence due.</summary>
    [JsonPropertyName("Next")]
    public DateTimeOffset Next { get; init; }

    /// <summary>When the status was written.</summary>
    [JsonPropertyName("LastUpdated")]
    public DateTimeOffset LastUpdated { get; init; }
}
