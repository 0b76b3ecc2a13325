using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>A transaction as a node reports it (<c>eth_getTransactionByHash</c>): pending or mined, any type.</summary>
public sealed record RpcTransaction
{
    /// <summary>The transaction hash.</summary>
    public required Hash32 Hash { get; init; }

    /// <summary>The type (0 legacy, 1 EIP-2930, 2 EIP-1559, …).</summary>
    public byte Type { get; init; }

    /// <summary>The chain id (absent for pre-EIP-155 legacy transactions).</summary>
    public ulong? ChainId { get; init; }

    /// <summary>The sender's nonce.</summary>
    public required ulong Nonce { get; init; }

    /// <summary>The sender (recovered by the node).</summary>
    public required Address From { get; init; }

    /// <summary>The recipient; null for a contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>Wei transferred.</summary>
    public required UInt256 Value { get; init; }

    /// <summary>The gas limit.</summary>
    public required ulong Gas { get; init; }

    /// <summary>Legacy/2930 gas price; for 1559 transactions nodes report the effective price once mined.</summary>
    public UInt256? GasPrice { get; init; }

    /// <summary>EIP-1559 fee cap.</summary>
    public UInt256? MaxFeePerGas { get; init; }

    /// <summary>EIP-1559 priority fee.</summary>
    public UInt256? MaxPriorityFeePerGas { get; init; }

    /// <summary>Call data or creation bytecode.</summary>
    public required byte[] Input { get; init; }

    /// <summary>The including block's hash; null while pending.</summary>
    public Hash32? BlockHash { get; init; }

    /// <summary>The including block's number; null while pending.</summary>
    public ulong? BlockNumber { get; init; }

    /// <summary>The index in the block; null while pending.</summary>
    public ulong? TransactionIndex { get; init; }

    internal static RpcTransaction FromJson(JsonElement json) => new()
    {
        Hash = RpcJson.ReadHash(json, "hash"),
        Type = (byte)(RpcJson.OptionalUInt64(json, "type") ?? 0),
        ChainId = RpcJson.OptionalUInt64(json, "chainId"),
        Nonce = RpcJson.ReadUInt64(json, "nonce"),
        From = RpcJson.ReadAddress(json, "from"),
        To = RpcJson.OptionalAddress(json, "to"),
        Value = RpcJson.ReadQuantity(json, "value"),
        Gas = RpcJson.ReadUInt64(json, "gas"),
        GasPrice = RpcJson.OptionalQuantity(json, "gasPrice"),
        MaxFeePerGas = RpcJson.OptionalQuantity(json, "maxFeePerGas"),
        MaxPriorityFeePerGas = RpcJson.OptionalQuantity(json, "maxPriorityFeePerGas"),
        Input = RpcJson.ReadBytes(json, "input"),
        BlockHash = RpcJson.OptionalHash(json, "blockHash"),
        BlockNumber = RpcJson.OptionalUInt64(json, "blockNumber"),
        TransactionIndex = RpcJson.OptionalUInt64(json, "transactionIndex"),
    };
}
