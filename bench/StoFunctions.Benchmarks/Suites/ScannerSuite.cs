using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Contracts;
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
/// transaction, one transaction per block, every receiver new) scanned by <see cref="TokenScanner"/>, against
/// (a) the floor — one raw <c>eth_getLogs</c> over the same blocks and the rows the scanner writes for them (one
/// event row and one holder row per Transfer; a first appearance needs no history row) sent as raw entity-group
/// batches — and (b) sto's <c>token-scan</c> algorithm replayed on Table Storage (see <see cref="StoScanAsync"/>),
/// measured on the first <c>stoEvents</c> events because it is slow. (b0) is the earlier, simpler stand-in
/// (fixed 10-block ranges, two upserts per event, no duplicate check, no balance pass), kept for comparison.
/// Then the cap table's first page over every holder vs reading the holders partition.
/// Usage: <c>scanner [events=100000] [stoEvents=5000]</c>.
/// </summary>
public sealed class ScannerSuite : IBenchmarkSuite
{
    private const int PerTransaction = 1_000;
    private const int BatchConcurrency = 4;
    private const string HexDigits = "0123456789abcdef";

    // keccak256("Issued(address,uint256)"): sto reads this SecurityToken event before Transfer in every chunk.
    private static readonly Hash32 s_issuedTopic = Keccak256.Hash("Issued(address,uint256)"u8);

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
        var tables = StorageAccount.FromConnectionString(azurite.ConnectionString).Tables;

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

        // The machine is shared, so load comes and goes: each method runs twice in ABBA order (which cancels a
        // steady drift) on fresh tables, and the better run counts.
        TokenScanner? scanner = null;
        ScannerOptions? options = null;
        double floor = 0, ours = 0, sto = 0, simple = 0;
        var rounds = new Func<Task>[]
        {
            async () => floor = Math.Max(floor, await RateAsync(events, () => FloorAsync(rpc, tables, token, first, last))),
            async () =>
            {
                options = new ScannerOptions { TablePrefix = "b" + Guid.NewGuid().ToString("N")[..10] };
                scanner = new TokenScanner(rpc, new ScanStore(tables, options), options);
                long scanned = 0;
                ours = Math.Max(ours, await RateAsync(events, async () => scanned = (await scanner.ScanAsync(token, first)).Events));
                if (scanned != events)
                {
                    throw new InvalidOperationException($"The scanner committed {scanned} events, expected {events}.");
                }
            },
            async () => sto = Math.Max(sto, await RateAsync(stoEvents, () => StoScanAsync(rpc, tables, token, first, last, stoEvents))),
            async () => simple = Math.Max(simple, await RateAsync(stoEvents, () => SimpleSequentialAsync(rpc, tables, token, first, stoEvents))),
        };
        foreach (Func<Task> round in rounds.Concat(Enumerable.Reverse(rounds)))
        {
            await round();
        }

        Console.WriteLine($"{"scan",-48} {"events/s",10} {"vs floor",9}");
        Console.WriteLine($"{"(a) floor: raw getLogs + raw batches",-48} {floor,10:N0} {1.0,9:P0}");
        Console.WriteLine($"{"TokenScanner (adaptive, 4 ranges in flight)",-48} {ours,10:N0} {ours / floor,9:P0}");
        Console.WriteLine($"{$"(b) sto token-scan replayed ({stoEvents:N0} events)",-48} {sto,10:N0} {sto / floor,9:P0}");
        Console.WriteLine($"{$"(b0) simple sequential, 2 upserts/event ({stoEvents:N0})",-48} {simple,10:N0} {simple / floor,9:P0}");
        Console.WriteLine($"TokenScanner / floor = {ours / floor:P0} (goal >= 70 %); TokenScanner / sto = {ours / sto:F1}x (goal >= 5x); / simple sequential = {ours / simple:F1}x");

        // Azurite pages a query by filtering and sorting the whole table per page, so these reads are slow and noisy:
        // two rounds, the best of each. The parallel read is the same 16 key ranges LoadHoldersAsync uses.
        var builder = new CapTableBuilder(rpc, scanner!.Store);
        TableClient holders = tables.GetTableClient(options!.TablePrefix + "scanholders");
        string pk = ScanStore.Key(token);
        double sequential = double.MaxValue, parallel = double.MaxValue, page = double.MaxValue;
        int read = 0;
        CapTable? table = null;
        for (int round = 0; round < 2; round++)
        {
            sequential = Math.Min(sequential, await TimeAsync(async () => read = await CountAsync(holders, TableClient.CreateQueryFilter($"PartitionKey eq {pk}"))));
            parallel = Math.Min(parallel, await TimeAsync(async () =>
            {
                int[] counts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => CountAsync(holders, i == 15
                    ? TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {"0x" + HexDigits[i]}")
                    : TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {"0x" + HexDigits[i]} and RowKey lt {"0x" + HexDigits[i + 1]}"))));
                read = counts.Sum();
            }));
            page = Math.Min(page, await TimeAsync(async () => table = await builder.BuildAsync(token, new CapTableQuery())));
        }

        Console.WriteLine($"cap table of {table!.HolderCount:N0} holders, first page of {table.Holders.Count:N0}: {page * 1000:F0} ms; reading the {read:N0}-row holder partition: " +
            $"sequentially {sequential * 1000:F0} ms, in 16 key ranges {parallel * 1000:F0} ms; ratio {page / sequential:F2} vs sequential, {page / parallel:F2} vs 16 ranges (goal <= 1.2)");
    }

    private static async Task<int> CountAsync(TableClient table, string filter)
    {
        int count = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>(filter, StorageLimits.MaxTablePageSize))
        {
            count++;
        }

        return count;
    }

    private static async Task FloorAsync(JsonRpcClient rpc, TableServiceClient tables, Address token, ulong first, ulong last)
    {
        IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { FromBlock = first, ToBlock = last, Addresses = [token] });
        string prefix = "f" + Guid.NewGuid().ToString("N")[..10];
        string pk = ScanStore.Key(token);
        TableClient events = tables.GetTableClient(prefix + "events");
        TableClient holders = tables.GetTableClient(prefix + "holders");
        foreach (TableClient t in new[] { events, holders })
        {
            await t.CreateIfNotExistsAsync();
        }

        // The rows TokenScanner writes for these events, with the same properties, and no reads or bookkeeping:
        // an event row and a holder row per Transfer (every receiver is new, so there is no history row).
        await WriteAsync(events, logs.Select(l => new TableEntity(pk, TransferLog.EventKey(l.BlockNumber!.Value, l.LogIndex!.Value))
        {
            ["Block"] = (long)l.BlockNumber!.Value, ["LogIndex"] = (long)l.LogIndex!.Value,
            ["TxHash"] = l.TransactionHash!.Value.ToString(), ["BlockHash"] = l.BlockHash!.Value.ToString(), ["From"] = Holder(l.Topics[1]),
            ["To"] = Holder(l.Topics[2]), ["Value"] = UInt256.FromBigEndian(l.Data).ToString(), ["BlockTime"] = DateTimeOffset.UnixEpoch,
        }));
        await WriteAsync(holders, logs.Select(l => new TableEntity(pk, Holder(l.Topics[2]))
        {
            ["Balance"] = "1", ["Sortable"] = ScanStore.Sortable(1), ["LastBlock"] = (long)l.BlockNumber!.Value,
            ["LastTime"] = DateTimeOffset.UnixEpoch, ["FirstBlock"] = (long)l.BlockNumber!.Value,
        }));
    }

    private static string Holder(Hash32 topic) => "0x" + Hex.Encode(topic.ToArray())[26..];

    private static Task WriteAsync(TableClient table, IEnumerable<TableEntity> rows) =>
        Parallel.ForEachAsync(
            rows.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).Chunk(StorageLimits.MaxTransactionActions),
            new ParallelOptions { MaxDegreeOfParallelism = BatchConcurrency },
            async (batch, ct) => await table.SubmitTransactionAsync(batch, ct));

    /// <summary>
    /// sto's <c>token-scan</c> (sto/ethereum/scanner.py and sto/models/tokenscan.py @ 8f477a5, research/sto.md §3.1)
    /// on Table Storage, one request where sto issues one SQL statement and commits per chunk as sto did before
    /// PR #13: chunks of <c>[cur, cur + size]</c> starting at size 20, reset to 10 after any event, ×5 after none;
    /// per chunk <c>eth_getLogs</c> for <c>Issued</c> then <c>Transfer</c>; per event the duplicate check (a read),
    /// get-or-create of the credit (and debit) account (a read, an insert when new), a delta row per side, the
    /// block time cached per chunk; per chunk the status row with the end block's time; at the end the balance
    /// pass over every dirty account (sum its deltas, write the balance).
    /// </summary>
    private static async Task StoScanAsync(JsonRpcClient rpc, TableServiceClient tables, Address token, ulong first, ulong last, int limit)
    {
        string prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        TableClient deltas = tables.GetTableClient(prefix + "deltas");
        TableClient accounts = tables.GetTableClient(prefix + "accounts");
        TableClient status = tables.GetTableClient(prefix + "status");
        foreach (TableClient t in new[] { deltas, accounts, status })
        {
            await t.CreateIfNotExistsAsync();
        }

        string pk = ScanStore.Key(token);
        var dirty = new HashSet<string>();
        int done = 0;
        ulong size = 20;
        for (ulong current = first; current <= last && done < limit;)
        {
            ulong end = Math.Min(current + size, last);
            var times = new Dictionary<ulong, ulong>();
            int mutated = 0;
            foreach (Hash32 topic in new[] { s_issuedTopic, PlainTokenContract.TransferTopic })
            {
                IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { FromBlock = current, ToBlock = end, Addresses = [token], Topics = [[topic]] });
                foreach (LogEntry l in logs)
                {
                    if (done == limit)
                    {
                        break;
                    }

                    ulong block = l.BlockNumber!.Value;
                    if (!times.ContainsKey(block))
                    {
                        times[block] = (await rpc.GetBlockByNumberAsync(block))!.Timestamp;
                    }

                    string key = TransferLog.EventKey(block, l.LogIndex!.Value);
                    string to = Holder(l.Topics[2]);
                    if ((await deltas.GetEntityIfExistsAsync<TableEntity>(to, key + "+")).HasValue)
                    {
                        throw new InvalidOperationException($"Had already existing imported event {key}");
                    }

                    await CreditOrDebitAsync(to, "+");
                    string from = Holder(l.Topics[1]);
                    if (from != ScanStore.Key(Address.Zero))
                    {
                        await CreditOrDebitAsync(from, "-");
                    }

                    mutated++;
                    done++;

                    async Task CreditOrDebitAsync(string holder, string sign)
                    {
                        if (!(await accounts.GetEntityIfExistsAsync<TableEntity>(pk, holder)).HasValue)
                        {
                            await accounts.AddEntityAsync(new TableEntity(pk, holder) { ["Empty"] = true });
                        }

                        await deltas.AddEntityAsync(new TableEntity(holder, key + sign)
                        {
                            ["Block"] = (long)block, ["TxHash"] = l.TransactionHash!.Value.ToString(), ["Delta"] = UInt256.FromBigEndian(l.Data).ToString(),
                            ["Sign"] = sign == "+" ? 1 : -1, ["BlockTime"] = DateTimeOffset.FromUnixTimeSeconds((long)times[block]),
                        });
                        dirty.Add(holder);
                    }
                }
            }

            ulong endTime = (await rpc.GetBlockByNumberAsync(end))!.Timestamp;
            await status.UpsertEntityAsync(new TableEntity("status", pk) { ["StartBlock"] = (long)first, ["EndBlock"] = (long)end, ["EndTime"] = (long)endTime });
            size = mutated > 0 ? 10 : Math.Min(size * 5, 10_000);
            current = end + 1;
        }

        foreach (string holder in dirty)
        {
            System.Numerics.BigInteger balance = 0;
            await foreach (TableEntity d in deltas.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {holder}"), StorageLimits.MaxTablePageSize))
            {
                balance += System.Numerics.BigInteger.Parse(d.GetString("Delta")!, CultureInfo.InvariantCulture) * d.GetInt32("Sign")!.Value;
            }

            await accounts.UpdateEntityAsync(new TableEntity(pk, holder) { ["Balance"] = balance.ToString(CultureInfo.InvariantCulture), ["Empty"] = balance.IsZero }, ETag.All, TableUpdateMode.Merge);
        }
    }

    /// <summary>The earlier stand-in: fixed 10-block ranges in sequence, a block read per event block, two upserts per event.</summary>
    private static async Task SimpleSequentialAsync(JsonRpcClient rpc, TableServiceClient tables, Address token, ulong first, int limit)
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
        TransactionReceipt receipt = await AnvilProcess.WaitForReceiptAsync(rpc, hash);
        return receipt.Succeeded ? receipt : throw new InvalidOperationException($"transaction {hash} reverted");
    }

    private static async Task<double> RateAsync(int count, Func<Task> work) => count / await TimeAsync(work);

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }
}
