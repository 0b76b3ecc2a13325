using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>One log as returned by <c>eth_getLogs</c> or inside a receipt.</summary>
public sealed record LogEntry
{
    /// <summary>The emitting contract.</summary>
    public required Address Address { get; init; }

    /// <summary>Topic 0 (the event signature hash unless anonymous) and the indexed arguments.</summary>
    public required IReadOnlyList<Hash32> Topics { get; init; }

    /// <summary>The ABI-encoded non-indexed arguments.</summary>
    public required byte[] Data { get; init; }

    /// <summary>The block that holds the log (null while pending).</summary>
    public ulong? BlockNumber { get; init; }

    /// <summary>The hash of that block (null while pending); compare it to detect reorgs.</summary>
    public Hash32? BlockHash { get; init; }

    /// <summary>The transaction that emitted the log.</summary>
    public Hash32? TransactionHash { get; init; }

    /// <summary>The transaction's index in its block.</summary>
    public ulong? TransactionIndex { get; init; }

    /// <summary>The log's index in its block.</summary>
    public ulong? LogIndex { get; init; }

    /// <summary>True when a reorg removed the log (filter subscriptions only).</summary>
    public bool Removed { get; init; }

    internal static LogEntry FromJson(JsonElement json) => new()
    {
        Address = RpcJson.ReadAddress(json, "address"),
        Topics = RpcJson.ReadArray(json, "topics", RpcJson.ReadHash),
        Data = RpcJson.ReadBytes(json, "data"),
        BlockNumber = RpcJson.OptionalUInt64(json, "blockNumber"),
        BlockHash = RpcJson.OptionalHash(json, "blockHash"),
        TransactionHash = RpcJson.OptionalHash(json, "transactionHash"),
        TransactionIndex = RpcJson.OptionalUInt64(json, "transactionIndex"),
        LogIndex = RpcJson.OptionalUInt64(json, "logIndex"),
        Removed = json.TryGetProperty("removed", out JsonElement removed) && removed.ValueKind == JsonValueKind.True,
    };
}
