namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// The filter of <c>eth_getLogs</c>: a block range (or one block hash), emitting contracts, and topic positions.
/// Each topic position is null (any), or a list of alternatives (OR).
/// </summary>
public sealed record LogFilter
{
    /// <summary>First block of the range (inclusive); null means the node's default (latest).</summary>
    public BlockParameter? FromBlock { get; init; }

    /// <summary>Last block of the range (inclusive); null means the node's default (latest).</summary>
    public BlockParameter? ToBlock { get; init; }

    /// <summary>One block by hash instead of a range (EIP-234); excludes <see cref="FromBlock"/>/<see cref="ToBlock"/>.</summary>
    public Hash32? BlockHash { get; init; }

    /// <summary>Contracts whose logs to return; empty means all.</summary>
    public IReadOnlyList<Address> Addresses { get; init; } = [];

    /// <summary>Topic positions 0..3: null = any, otherwise one of the listed values.</summary>
    public IReadOnlyList<IReadOnlyList<Hash32>?> Topics { get; init; } = [];

    /// <summary>A filter of exactly these topics, where a null entry is a wildcard (the shape of <c>AbiEvent.EncodeTopicFilter</c>).</summary>
    public static IReadOnlyList<IReadOnlyList<Hash32>?> ExactTopics(IEnumerable<Hash32?> topics) =>
        topics.Select(t => t is Hash32 h ? (IReadOnlyList<Hash32>?)new[] { h } : null).ToArray();
}
