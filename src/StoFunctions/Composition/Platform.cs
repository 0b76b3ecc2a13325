using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Data.Tables;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Composition;

/// <summary>
/// The platform the functions run on: storage clients of <c>AzureWebJobsStorage</c>, the chain, the issuer's
/// lane and the command service. One per app; functions take it from DI.
/// </summary>
public sealed class Platform
{
    /// <summary>The commands table name.</summary>
    public const string CommandsTable = "commands";

    /// <summary>The ledger table name.</summary>
    public const string LedgerTableName = "ledger";

    /// <summary>The issued-tokens table the scanner also reads (PartitionKey <c>token</c>, RowKey lower-case address).</summary>
    public const string TokensTable = "tokens";

    /// <summary>The partition of every row in <see cref="TokensTable"/>.</summary>
    public const string TokenPartition = "token";

    /// <summary>The container whose <c>{token}/{name}.csv</c> blobs start distributions.</summary>
    public const string DistributionsContainer = "distributions";

    /// <summary>The queue of commands.</summary>
    public const string CommandsQueue = "sto-commands";

    /// <summary>The container of the lanes' leases.</summary>
    public const string LeasesContainer = "lane-leases";

    internal Platform(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, JsonRpcClient rpc, LaneId lane, CommandService commands)
    {
        Tables = tables;
        Blobs = blobs;
        Queues = queues;
        Rpc = rpc;
        Lane = lane;
        Commands = commands;
        Ledger = new LedgerTable(tables.GetTableClient(LedgerTableName));
        LedgerRows = tables.GetTableClient(LedgerTableName);
        Tokens = tables.GetTableClient(TokensTable);
    }

    /// <summary>Tables of the storage account.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>Blobs of the storage account.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>Queues of the storage account.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>The chain's JSON-RPC client.</summary>
    public JsonRpcClient Rpc { get; }

    /// <summary>The issuer's lane: chain id and the signer's address.</summary>
    public LaneId Lane { get; }

    /// <summary>The issuer: the address every command sends from.</summary>
    public Address Issuer => Lane.Sender;

    /// <summary>The command service.</summary>
    public CommandService Commands { get; }

    /// <summary>The ledger.</summary>
    public LedgerTable Ledger { get; }

    /// <summary>The ledger table read directly (business-key rows, open transactions).</summary>
    public TableClient LedgerRows { get; }

    /// <summary>The issued-tokens table.</summary>
    public TableClient Tokens { get; }
}
