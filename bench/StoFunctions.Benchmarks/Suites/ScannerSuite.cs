using System.Diagnostics;
using System.Globalization;
using StoFunctions.Azure.Storage.Tables;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// Scanner throughput on a private anvil + Azurite: <c>events</c> Transfer logs from TransferSpammer (1,000 per
/// transaction, one transaction per block) scanned by <see cref="TokenScanner"/>, against (a) the floor — one raw
/// <c>eth_getLogs</c> over the same blocks and the same rows written with raw entity-group batches — and (b) a
/// sequential sto-style scanner (fixed 10-block ranges, one at a time, one request per row), measured on the
/// first <c>stoEvents</c> events because it is slow. Then the cap table's first page over every holder vs reading
/// the holders partition. Usage: <c>scanner [events=100000] [stoEvents=5000]</c>.
/// </summary>
public sealed class ScannerSuite : IBenchmarkSuite
{
    private const int PerTransaction = 1_000;
    private const int BatchConcurrency = 4;

    /// <inheritdoc />
    public string Name => "scanner";

    /// <inheritdoc />
    public string Description => "Transfer scan events/s vs raw getLogs+batch floor and a sequential sto-style scanner; cap table first page vs holder read";

    /// <inheritdoc />
    public async Task RunAsync(string[] args)
    {
        int events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        int stoEvents = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000;
        events = Math.Max(PerTransaction, events / PerTransaction * PerTransaction);

        await using AnvilProcess anvil = await AnvilProcess.StartAsync(extraArguments: ["--gas-limit", "100000000"]);
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        using var rpc = new JsonRpcClient(anvil.RpcUrl);
        var tables = new TableServiceClient(azurite.ConnectionString);

        ContractArtifact artifact = ContractArtifact.Load("TransferSpammer");
        AbiFunction spam = ContractAbi.FromJson(artifact.AbiJson).GetFunction("spam(uint256,uint256)");
        Address token = (await SendAsync(rpc, null, Hex.Decode(artifact.Bytecode))).ContractAddress!.Value;
        ulong first = await rpc.GetBlockNumberAsync();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < events / PerTransaction; i++)
        {
            await SendAsync(rpc, token, spam.EncodeCall((UInt256)(ulong)i, (UInt256)(ulong)PerTransaction));
        }

        ulong last = await rpc.GetBlockNumberAsync();
        Console.WriteLine($"generated {events:N0} Transfer events in blocks {first}..{last} ({clock.Elapsed.TotalSeconds:F1} s)");

        // Warm Azurite and the RPC path once so the first measured method is not charged for start-up.
        await FloorAsync(rpc, tables, token, first, first);
        double floor = await RateAsync(events, () => FloorAsync(rpc, tables, token, first, last));
        var options = new ScannerOptions { TablePrefix = "b" + Guid.NewGuid().ToString("N")[..10] };
        var scanner = new TokenScanner(rpc, new ScanStore(tables, options), options);
        long scanned = 0;
        double ours = await RateAsync(events, async () => scanned = (await scanner.ScanAsync(token, first)).Events);
        if (scanned != events)
        {
            throw new InvalidOperationException($"The scanner committed {scanned} events, expected {events}.");
        }

        double sto = await RateAsync(stoEvents, () => StoStyleAsync(rpc, tables, token, first, stoEvents));

        Console.WriteLine($"{"scan",-44} {"events/s",10} {"vs floor",9}");
        Console.WriteLine($"{"(a) floor: raw getLogs + raw batches",-44} {floor,10:N0} {1.0,9:P0}");
        Console.WriteLine($"{"TokenScanner (adaptive, 4 ranges in flight)",-44} {ours,10:N0} {ours / floor,9:P0}");
        Console.WriteLine($"{$"(b) sto-style sequential ({stoEvents:N0} events)",-44} {sto,10:N0} {sto / floor,9:P0}");
        Console.WriteLine($"TokenScanner / floor = {ours / floor:P0} (goal >= 70 %); TokenScanner / sto-style = {ours / sto:F1}x (goal >= 5x)");

        var builder = new CapTableBuilder(rpc, scanner.Store);
        TableClient holders = tables.GetTableClient(options.TablePrefix + "scanholders");
        int read = 0;
        double readSeconds = await TimeAsync(async () =>
        {
            read = 0;
            await foreach (TableEntity _ in holders.QueryAsync(TableFilter.Create($"PartitionKey eq {ScanStore.Key(token)}"), TableClient.MaxPageSize))
            {
                read++;
            }
        });
        CapTable? table = null;
        double pageSeconds = await TimeAsync(async () => table = await builder.BuildAsync(token, new CapTableQuery()));
        Console.WriteLine($"cap table of {table!.HolderCount:N0} holders, first page of {table.Holders.Count:N0}: {pageSeconds * 1000:F0} ms; " +
            $"reading the {read:N0}-row holder partition: {readSeconds * 1000:F0} ms; ratio {pageSeconds / readSeconds:F2} (goal <= 1.2)");
    }

    private static async Task FloorAsync(JsonRpcClient rpc, TableServiceClient tables, Address token, ulong first, ulong last)
    {
        IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { FromBlock = first, ToBlock = last, Addresses = [token] });
        string prefix = "f" + Guid.NewGuid().ToString("N")[..10];
        string pk = ScanStore.Key(token);
        TableClient events = tables.GetTableClient(prefix + "events");
        TableClient history = tables.GetTableClient(prefix + "history");
        TableClient holders = tables.GetTableClient(prefix + "holders");
        foreach (TableClient t in new[] { events, history, holders })
        {
            await t.CreateIfNotExistsAsync();
        }

        // The same three rows per event as the scanner writes, with no reads and no bookkeeping.
        await WriteAsync(events, logs.Select(l => new TableEntity(pk, TransferLog.EventKey(l.BlockNumber!.Value, l.LogIndex!.Value))
        {
            ["TxHash"] = l.TransactionHash!.Value.ToString(), ["BlockHash"] = l.BlockHash!.Value.ToString(), ["From"] = Hex.Encode(l.Topics[1].ToArray()),
            ["To"] = Hex.Encode(l.Topics[2].ToArray()), ["Value"] = UInt256.FromBigEndian(l.Data).ToString(),
        }));
        await WriteAsync(history, logs.Select(l => new TableEntity(pk, $"{l.BlockNumber:D12}-{Hex.Encode(l.Topics[2].ToArray())}") { ["Balance"] = "1", ["Previous"] = "0" }));
        await WriteAsync(holders, logs.Select(l => new TableEntity(pk, Hex.Encode(l.Topics[2].ToArray())) { ["Balance"] = "1" }));
    }

    private static Task WriteAsync(TableClient table, IEnumerable<TableEntity> rows) =>
        Parallel.ForEachAsync(
            rows.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).Chunk(TableClient.MaxTransactionActions),
            new ParallelOptions { MaxDegreeOfParallelism = BatchConcurrency },
            async (batch, ct) => await table.SubmitTransactionAsync(batch, ct));

    /// <summary>sto's token-scan shape: fixed ranges in sequence, a block read per event block, one request per row.</summary>
    private static async Task StoStyleAsync(JsonRpcClient rpc, TableServiceClient tables, Address token, ulong first, int limit)
    {
        TableClient rows = tables.GetTableClient("s" + Guid.NewGuid().ToString("N")[..10]);
        await rows.CreateIfNotExistsAsync();
        string pk = ScanStore.Key(token);
        int done = 0;
        for (ulong from = first; done < limit; from += 10)
        {
            IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { FromBlock = from, ToBlock = from + 9, Addresses = [token] });
            var times = new Dictionary<ulong, ulong>();
            foreach (LogEntry l in logs.Take(limit - done))
            {
                if (!times.ContainsKey(l.BlockNumber!.Value))
                {
                    times[l.BlockNumber.Value] = (await rpc.GetBlockByNumberAsync(l.BlockNumber.Value))!.Timestamp;
                }

                await rows.UpsertEntityAsync(new TableEntity(pk, TransferLog.EventKey(l.BlockNumber.Value, l.LogIndex!.Value)) { ["Value"] = "1" });
                await rows.UpsertEntityAsync(new TableEntity("h" + pk, Hex.Encode(l.Topics[2].ToArray())) { ["Balance"] = "1" });
                done++;
            }
        }
    }

    private static async Task<TransactionReceipt> SendAsync(JsonRpcClient rpc, Address? to, byte[] data)
    {
        var tx = new Dictionary<string, object?> { ["from"] = AnvilAccounts.Addresses[0], ["data"] = Hex.Encode(data), ["gas"] = "0x3938700" };
        if (to is { } target)
        {
            tx["to"] = target.ToString();
        }

        Hash32 hash = await rpc.SendAsync<Hash32>("eth_sendTransaction", [tx]);
        for (int i = 0; i < 1000; i++)
        {
            if (await rpc.GetTransactionReceiptAsync(hash) is { } receipt)
            {
                return receipt.Succeeded ? receipt : throw new InvalidOperationException($"transaction {hash} reverted");
            }

            await Task.Delay(10);
        }

        throw new InvalidOperationException($"no receipt for {hash}");
    }

    private static async Task<double> RateAsync(int count, Func<Task> work) => count / await TimeAsync(work);

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }
}
