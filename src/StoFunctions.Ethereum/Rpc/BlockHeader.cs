using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>The header fields of a block (<c>eth_getBlockByNumber</c> without full transactions).</summary>
public sealed record BlockHeader
{
    /// <summary>The block number.</summary>
    public required ulong Number { get; init; }

    /// <summary>The block hash.</summary>
    public required Hash32 Hash { get; init; }

    /// <summary>The parent block's hash (follow it to detect reorgs).</summary>
    public required Hash32 ParentHash { get; init; }

    /// <summary>Unix time in seconds.</summary>
    public required ulong Timestamp { get; init; }

    /// <summary>The base fee per gas (EIP-1559); null before London.</summary>
    public UInt256? BaseFeePerGas { get; init; }

    /// <summary>The block gas limit.</summary>
    public required ulong GasLimit { get; init; }

    /// <summary>Gas used by all transactions of the block.</summary>
    public required ulong GasUsed { get; init; }

    /// <summary>Hashes of the block's transactions.</summary>
    public required IReadOnlyList<Hash32> TransactionHashes { get; init; }

    internal static BlockHeader FromJson(JsonElement json) => new()
    {
        Number = RpcJson.ReadUInt64(json, "number"),
        Hash = RpcJson.ReadHash(json, "hash"),
        ParentHash = RpcJson.ReadHash(json, "parentHash"),
        Timestamp = RpcJson.ReadUInt64(json, "timestamp"),
        BaseFeePerGas = RpcJson.OptionalQuantity(json, "baseFeePerGas"),
        GasLimit = RpcJson.ReadUInt64(json, "gasLimit"),
        GasUsed = RpcJson.ReadUInt64(json, "gasUsed"),
        TransactionHashes = json.TryGetProperty("transactions", out _) ? RpcJson.ReadArray(json, "transactions", RpcJson.ReadHash) : [],
    };
}
