using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>The receipt of a mined transaction (<c>eth_getTransactionReceipt</c>).</summary>
public sealed record TransactionReceipt
{
    /// <summary>The transaction hash.</summary>
    public required Hash32 TransactionHash { get; init; }

    /// <summary>The transaction's index in its block.</summary>
    public required ulong TransactionIndex { get; init; }

    /// <summary>The block that includes the transaction.</summary>
    public required Hash32 BlockHash { get; init; }

    /// <summary>The number of that block.</summary>
    public required ulong BlockNumber { get; init; }

    /// <summary>The sender.</summary>
    public required Address From { get; init; }

    /// <summary>The recipient; null for a contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>The created contract's address for a contract creation, else null.</summary>
    public Address? ContractAddress { get; init; }

    /// <summary>Gas used by this transaction.</summary>
    public required ulong GasUsed { get; init; }

    /// <summary>Gas used by this and all earlier transactions of the block.</summary>
    public required ulong CumulativeGasUsed { get; init; }

    /// <summary>The price per gas actually paid (base fee + tip for EIP-1559).</summary>
    public required UInt256 EffectiveGasPrice { get; init; }

    /// <summary>True when execution succeeded (status 1); false when it reverted (status 0). Post-Byzantium only.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The transaction type (0 legacy, 1 EIP-2930, 2 EIP-1559, …).</summary>
    public byte Type { get; init; }

    /// <summary>The logs emitted.</summary>
    public required IReadOnlyList<LogEntry> Logs { get; init; }

    internal static TransactionReceipt FromJson(JsonElement json) => new()
    {
        TransactionHash = RpcJson.ReadHash(json, "transactionHash"),
        TransactionIndex = RpcJson.ReadUInt64(json, "transactionIndex"),
        BlockHash = RpcJson.ReadHash(json, "blockHash"),
        BlockNumber = RpcJson.ReadUInt64(json, "blockNumber"),
        From = RpcJson.ReadAddress(json, "from"),
        To = RpcJson.OptionalAddress(json, "to"),
        ContractAddress = RpcJson.OptionalAddress(json, "contractAddress"),
        GasUsed = RpcJson.ReadUInt64(json, "gasUsed"),
        CumulativeGasUsed = RpcJson.ReadUInt64(json, "cumulativeGasUsed"),
        EffectiveGasPrice = RpcJson.ReadQuantity(json, "effectiveGasPrice"),
        Succeeded = RpcJson.ReadUInt64(json, "status") switch
        {
            1 => true,
            0 => false,
            ulong other => throw new FormatException($"receipt status is {other}; expected 0 or 1"),
        },
        Type = (byte)(RpcJson.OptionalUInt64(json, "type") ?? 0),
        Logs = RpcJson.ReadArray(json, "logs", LogEntry.FromJson),
    };
}
