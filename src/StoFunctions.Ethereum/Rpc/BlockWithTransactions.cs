using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>A block with its full transactions (<c>eth_getBlockByNumber</c> with <c>true</c>).</summary>
public sealed record BlockWithTransactions
{
    /// <summary>The block number.</summary>
    public required ulong Number { get; init; }

    /// <summary>The block hash.</summary>
    public required Hash32 Hash { get; init; }

    /// <summary>The block's transactions in block order.</summary>
    public required IReadOnlyList<RpcTransaction> Transactions { get; init; }

    internal static BlockWithTransactions FromJson(JsonElement json) => new()
    {
        Number = RpcJson.ReadUInt64(json, "number"),
        Hash = RpcJson.ReadHash(json, "hash"),
        Transactions = json.TryGetProperty("transactions", out _) ? RpcJson.ReadArray(json, "transactions", RpcTransaction.FromJson) : [],
    };
}
