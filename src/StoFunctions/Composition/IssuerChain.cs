using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Composition;

/// <summary>What planners read: the chain, the issuer's lane and the ledger rows (for business keys already planned).</summary>
public sealed class IssuerChain(JsonRpcClient rpc, LaneId lane, TableClient ledgerRows)
{
    /// <summary>The chain's JSON-RPC client.</summary>
    public JsonRpcClient Rpc { get; } = rpc;

    /// <summary>The issuer's lane.</summary>
    public LaneId Lane { get; } = lane;

    /// <summary>The issuer: the sender of every command.</summary>
    public Address Issuer => Lane.Sender;

    /// <summary>The ledger table.</summary>
    public TableClient LedgerRows { get; } = ledgerRows;

    /// <summary>The ledger.</summary>
    public LedgerTable Ledger { get; } = new(ledgerRows);

    /// <summary>Token decimals, read once per token.</summary>
    public TokenDecimals Decimals { get; } = new(rpc);

    /// <summary>The head block's gas limit, read at most once per <see cref="HeadGasLimit.MaxAge"/>.</summary>
    public HeadGasLimit GasLimit { get; } = new(rpc);
}
