using System.Text.Json.Serialization;

namespace StoFunctions.Functions.Health;

/// <summary>
/// One dependency in <c>GET /api/health</c>: its status (<c>Healthy</c>, <c>Degraded</c>, <c>Unhealthy</c>), how long
/// the check took, and what it found. Never a connection string, key, account name or node URL (a provider URL can
/// carry an API key): failures are described by kind only.
/// </summary>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> (answers, but slowly or with a stale head) or <c>Unhealthy</c> (no answer).</param>
/// <param name="DurationMs">How long the check took, in milliseconds.</param>
public sealed record DependencyStatus(string Status, long DurationMs)
{
    /// <summary>What is wrong, when not Healthy (e.g. <c>no answer within 3 s</c>, <c>storage answered HTTP 403</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }

    /// <summary>Storage: one entry per service (<c>tables</c>, <c>blobs</c>, <c>queues</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, DependencyStatus>? Services { get; init; }

    /// <summary>Chain: the node's <c>eth_chainId</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? ChainId { get; init; }

    /// <summary>Chain: the node's <c>eth_blockNumber</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? BlockNumber { get; init; }

    /// <summary>Chain: seconds since the head block's timestamp.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? HeadAgeSeconds { get; init; }
}
