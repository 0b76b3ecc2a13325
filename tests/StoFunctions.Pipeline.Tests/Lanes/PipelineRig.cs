using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Data.Tables;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Pipeline.Signers;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// One pipeline over a real anvil and the run's Azurite, with fresh tables and its own sender, so tests in a
/// class share the chain but not the lane. "Crashing" abandons a lane object; a new one is built over the same
/// tables and chain, as a restarted process would.
/// </summary>
internal sealed class PipelineRig : IAsyncDisposable
{
    public static readonly AbiFunction Exec = AbiFunction.Parse("exec(bytes32)");
    public static readonly Hash32 ExecutedTopic = Keccak256.Hash("Executed(bytes32)"u8);

    private PipelineRig(AnvilProcess anvil, string connection, string suffix, ISigner signer, LaneOptions options)
    {
        Anvil = anvil;
        Connection = connection;
        Signer = signer;
        Options = options;
        Lane = new LaneId(anvil.ChainId, signer.Address);
        Ledger = new LedgerTable(StorageAccount.FromConnectionString(connection).Tables.GetTableClient("ledger" + suffix));
        Commands = StorageAccount.FromConnectionString(connection).Tables.GetTableClient("commands" + suffix);
        Leases = StorageAccount.FromConnectionString(connection).Blobs.GetBlobContainerClient("leases" + suffix);
        Rpc = new JsonRpcClient(anvil.RpcUrl);
    }

    public AnvilProcess Anvil { get; }

    public string Connection { get; }

    public ISigner Signer { get; }

    public LaneOptions Options { get; set; }

    public LaneId Lane { get; }

    public LedgerTable Ledger { get; }

    public TableClient Commands { get; }

    public BlobContainerClient Leases { get; }

    public JsonRpcClient Rpc { get; }

    /// <summary>A rig whose sender is anvil account <paramref name="account"/> (1..9; 0 deploys oracles).</summary>
    public static async Task<PipelineRig> StartAsync(AnvilProcess anvil, int account, LaneOptions? options = null, ISigner? signer = null)
    {
        string connection = await AzuriteProcess.SharedAsync();
        string suffix = Guid.NewGuid().ToString("N")[..12];
        signer ??= new LocalKeySigner(StoFunctions.Ethereum.PrivateKey.Parse(AnvilAccounts.PrivateKeys[account]), anvil.ChainId);
        var rig = new PipelineRig(anvil, connection, suffix, signer, options ?? LaneOptions.DevChain);
        await rig.Commands.CreateIfNotExistsAsync();
        await rig.Ledger.CreateIfNotExistsAsync();
        return rig;
    }

    public CommandService NewCommandService(FaultInjector? faults = null, JsonRpcClient? rpc = null) =>
        new(Commands, Ledger, rpc ?? Rpc, Lane, [new IntentListPlanner()], faults);

    public TransactionLane NewLane(FaultInjector? faults = null, JsonRpcClient? rpc = null, ISigner? signer = null) =>
        new(Lane, Ledger, rpc ?? Rpc, signer ?? Signer, Options, faults ?? FaultInjector.None, s_logger);

    // The last lines of every lane in the test process, for the message of a lane that does not drain.
    private static readonly CountingLogger s_logger = new(kept: 4000);

    /// <summary>Deploys an <c>EffectOracle</c> from anvil account 0 (outside the pipeline).</summary>
    public async Task<Address> DeployOracleAsync()
    {
        ContractArtifact artifact = ContractArtifact.Load("EffectOracle");
        string from = AnvilAccounts.Addresses[0];
        JsonElement hash = await Anvil.RpcAsync("eth_sendTransaction", new { from, data = artifact.Bytecode.StartsWith("0x", StringComparison.Ordinal) ? artifact.Bytecode : "0x" + artifact.Bytecode, gas = "0x200000" });
        for (int i = 0; i < 100; i++)
        {
            TransactionReceipt? receipt = await Rpc.GetTransactionReceiptAsync(Hash32.Parse(hash.GetString()!));
            if (receipt?.ContractAddress is Address created)
            {
                return created;
            }

            await Anvil.RpcAsync("evm_mine");
        }

        throw new InvalidOperationException("EffectOracle deployment did not mine.");
    }

    /// <summary>A <c>transactions</c> command calling <c>exec(id)</c> once per id, each id its own business key.</summary>
    public static CommandRequest ExecCommand(Address oracle, IEnumerable<string> ids, string? idempotencyKey = null, ulong gas = 100_000)
    {
        var list = ids.Select(id => new
        {
            to = oracle.ToString(),
            data = Hex.Encode(Exec.EncodeCall(IdBytes(id))),
            gasLimit = gas,
            note = "exec " + id,
            businessKey = "oracle/" + id,
        }).ToArray();
        return new CommandRequest("transactions", idempotencyKey, JsonSerializer.SerializeToElement(new { transactions = list }));
    }

    /// <summary><paramref name="request"/> with one more member <paramref name="name"/> in its input (planners that ignore it, or a wrapper that strips it).</summary>
    public static CommandRequest WithInputMember(CommandRequest request, string name, string value)
    {
        var input = System.Text.Json.Nodes.JsonNode.Parse(request.Input.GetRawText())!.AsObject();
        input[name] = value;
        return request with { Input = JsonSerializer.SerializeToElement(input) };
    }

    public static byte[] IdBytes(string id) => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(id)).ToArray();

    /// <summary>
    /// Once the lane is quiet: design/pipeline.md invariants 1–7 of this rig's lane under its options
    /// (<see cref="LaneAudit"/>), and exactly one <c>Executed</c> per expected id at <paramref name="oracle"/>.
    /// </summary>
    public async Task AssertInvariantsAsync(Address oracle, IEnumerable<string> expectedIds)
    {
        await LaneAudit.AssertLaneAsync(Ledger, Rpc, Anvil, Lane, Options.Confirmations, Options.Fees.MaxFeePerGasCap);
        await LaneAudit.AssertExecutedOnceAsync(Rpc, oracle, expectedIds.Select(id => Hash32.FromBytes(IdBytes(id))));
    }

    /// <summary>Steps the lane until nothing is open; fails after <paramref name="timeout"/>.</summary>
    public static async Task RunUntilQuiescentAsync(TransactionLane lane, TimeSpan timeout, Func<Task>? betweenSteps = null)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            bool open = await lane.StepAsync();
            if (!open)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Lane {lane.Lane} still has {lane.OpenCount} open transactions after {timeout}: {lane.DescribeOpen()}. Its last log lines:\n" +
                    string.Join("\n", s_logger.Last(lane.Lane.PartitionKey, 30)));
            }

            if (betweenSteps is not null)
            {
                await betweenSteps();
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Deletes <paramref name="rows"/> with their idempotency rows and attempts, and the lane's cursor, as storage that
    /// lost them would: a lane started next reloads from the account's first nonce.
    /// </summary>
    public async Task LoseRowsAsync(IEnumerable<LedgerTransaction> rows)
    {
        foreach (LedgerTransaction row in rows)
        {
            await Ledger.Table.DeleteEntityAsync(Lane.PartitionKey, row.RowKey, ETag.All);
            await Ledger.Table.DeleteEntityAsync(Lane.PartitionKey, CommandKeys.BusinessKeyRow(row.BusinessKey), ETag.All);
            foreach (LedgerAttempt attempt in (await Ledger.GetAttemptsAsync(Lane, row.Nonce, row.Nonce)).Values.SelectMany(a => a))
            {
                await Ledger.Table.DeleteEntityAsync(Lane.PartitionKey, attempt.RowKey, ETag.All);
            }
        }

        await Ledger.Table.DeleteEntityAsync(Lane.PartitionKey, LedgerTable.LaneRow, ETag.All);
    }

    public async Task<CommandStatus> StatusAsync(string id) =>
        await NewCommandService().GetStatusAsync(id) ?? throw new InvalidOperationException($"command {id} not found");

    public ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        return ValueTask.CompletedTask;
    }
}
