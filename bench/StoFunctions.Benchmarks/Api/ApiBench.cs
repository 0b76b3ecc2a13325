using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Benchmarks.Suites;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Api;

/// <summary>
/// The product measured at the front door (issue 20): each scenario on a fresh anvil and a fresh Azurite with the
/// host running as its own process, driven only over HTTP, and the chain's floors measured in the same run.
/// <see cref="RunAsync"/> is the whole run; <see cref="ApiSuite"/> prints it, and a test runs it with tiny numbers.
/// </summary>
public static class ApiBench
{
    private const int EventsPerCall = 1000;
    private static readonly Address s_issuer = Address.Parse(AnvilAccounts.Addresses[0]);

    /// <summary>Runs every scenario <see cref="ApiBenchOptions.Reps"/> times; progress lines go to <paramref name="progress"/>.</summary>
    public static async Task<ApiBenchReport> RunAsync(ApiBenchOptions options, TextWriter progress)
    {
        var report = new ApiBenchReport { Options = options, LoadAtStart = LoadAverage() };
        progress.WriteLine($"load average at start: {report.LoadAtStart}");
        HostBuild current = HostBuild.Current;
        if (!File.Exists(current.Dll))
        {
            throw new FileNotFoundException($"The local host is not built at {current.Dll}. Build it: dotnet build src/StoFunctions.LocalHost -c Release (./dev bench does).", current.Dll);
        }

        if (options.ReadyToRun && !options.FloorsOnly)
        {
            current = await current.ReadyToRunAsync(progress);
            options.Baseline = options.Baseline is { } baseline ? await baseline.ReadyToRunAsync(progress) : null;
            report.Notes.Add("hosts published ReadyToRun for this runtime, as ./dev publish publishes the Function App (--jit runs the plain build)");
        }

        for (int rep = 0; rep < options.Reps; rep++)
        {
            progress.WriteLine($"-- rep {rep + 1} of {options.Reps}");
            if (options.ScanOnly)
            {
                await ScanAsync(current, options, report, progress, floorFirst: rep % 2 == 0);
                continue;
            }

            await AttemptAsync(report, progress, "floors", () => FloorsAsync(options, report, progress));
            if (options.FloorsOnly)
            {
                continue;
            }

            // Builds alternate their order between reps, so a drift in the machine's load does not favour one.
            HostBuild[] builds = options.Baseline is null ? [current] : rep % 2 == 0 ? [current, options.Baseline] : [options.Baseline, current];
            foreach (HostBuild build in builds)
            {
                await AttemptAsync(report, progress, $"[{build.Label}] distribution JSON", () => DistributionAsync(build, options, report, progress, csv: false));
                await AttemptAsync(report, progress, $"[{build.Label}] distribution text/csv", () => DistributionAsync(build, options, report, progress, csv: true));
                await AttemptAsync(report, progress, $"[{build.Label}] single transfers", () => TransfersAsync(build, options, report, progress));
            }

            await AttemptAsync(report, progress, $"[{current.Label}] least costs", () => LeastCostsAsync(current, options, report, progress));

            if (options.LargeRows > 0)
            {
                await AttemptAsync(report, progress, $"[{current.Label}] large distribution", () => LargeDistributionAsync(current, options, report, progress));
            }

            if (!options.NoScan)
            {
                await AttemptAsync(report, progress, "scan and cap table", () => ScanAsync(current, options, report, progress, floorFirst: rep % 2 == 0));
            }
        }

        report.Notes.Add($"scan events: TransferSpammer.spam(seed, {EventsPerCall}) calls on an anvil with a 100M block gas limit, {EventsPerCall} Transfer events (mints of 1 to new addresses) per transaction and block; the cap table is that contract's holders");
        report.LoadAtEnd = LoadAverage();
        return report;
    }

    // A scenario that fails (a command Failed, a stuck lane, a host that does not start) is reported and leaves its
    // figure out of this rep, so one bad scenario does not throw away a 20-minute run; the report counts failures.
    private static async Task AttemptAsync(ApiBenchReport report, TextWriter progress, string scenario, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or JsonRpcException or JsonRpcTransportException)
        {
            report.Failures.Add($"{scenario}: {e.GetType().Name}: {e.Message}");
            progress.WriteLine($"{scenario} FAILED: {e.Message.Split('\n')[0]}");
        }
    }

    private static async Task FloorsAsync(ApiBenchOptions options, ApiBenchReport report, TextWriter progress)
    {
        FloorRun a = await FloorAsync(options.Rows, batchSize: 100, options.FloorWindow);
        report.Add("floorA", a.Seconds);
        FloorRun a1000 = await FloorAsync(options.Transfers, batchSize: 100, options.FloorWindow);
        report.Add("floorA.transfers", a1000.Seconds);
        if (a1000.Cpu is { } floorCpu)
        {
            report.Add("floorA.transfers.cpu.anvil", floorCpu.Anvil.TotalMilliseconds / options.Transfers);
            report.Add("floorA.transfers.cpu.client", floorCpu.Client.TotalMilliseconds / options.Transfers);
        }

        FloorRun b = await FloorAsync(options.Rows, batchSize: 1, window: 0);
        report.Add("floorB", b.Seconds);
        progress.WriteLine($"floor A {options.Rows}: {a.Seconds:F2} s ({options.Rows / a.Seconds:F0} tx/s, {a.Stalls} evm_mine kicks); floor A {options.Transfers}: {a1000.Seconds:F2} s ({a1000.Stalls} kicks); floor B: {b.Seconds:F2} s ({b.Stalls} kicks)");
        foreach ((string name, FloorRun run) in new[] { ("floor A", a), ("floor A (transfers)", a1000), ("floor B", b) })
        {
            if (run.Stalls > 0)
            {
                report.Notes.Add($"{name}: automine stalled {run.Stalls} time(s); each was kicked with evm_mine and its wait left out");
            }
        }

        await using (AnvilProcess minimal = await AnvilProcess.StartAsync())
        {
            using var minimalRpc = new JsonRpcClient(minimal.RpcUrl);
            (byte[][] raw, ulong start) = await ChainFloor.SignTransfersAsync(minimal, minimalRpc, await ChainFloor.DeployTokenAsync(minimal, minimalRpc), options.Rows);
            try
            {
                double seconds = await ChainFloor.MinimalNodeAsync(minimal.RpcUrl, raw, start);
                report.Add("minimal", seconds);
                progress.WriteLine($"minimal Node client {options.Rows}: {seconds:F2} s");
            }
            catch (InvalidOperationException e)
            {
                report.Notes.Add("the minimal Node client did not finish (it has no stall handling): " + e.Message.Split('\n')[0]);
            }
        }

        await using AnvilProcess anvil = await AnvilProcess.StartAsync();
        using var rpc = new JsonRpcClient(anvil.RpcUrl);
        Address token = await ChainFloor.DeployTokenAsync(anvil, rpc);
        double peer = await ChainFloor.EthersAsync(anvil, token, options.Rows);
        report.Add("peer", peer);
        progress.WriteLine($"peer (ethers v6 NonceManager) {options.Rows}: {peer:F2} s");
    }

    private static async Task<FloorRun> FloorAsync(int count, int batchSize, int window)
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync();
        using var rpc = new JsonRpcClient(anvil.RpcUrl);
        Address token = await ChainFloor.DeployTokenAsync(anvil, rpc);
        (byte[][] raw, ulong start) = await ChainFloor.SignTransfersAsync(anvil, rpc, token, count);
        CpuSample? before = CpuSample.Take(0, 0, anvil.ProcessId);
        FloorRun run = await ChainFloor.SendAsync(anvil.RpcUrl, raw, start, batchSize, window);
        run = run with { Cpu = CpuSample.Between(before, CpuSample.Take(0, 0, anvil.ProcessId)) };
        // Checked after the clock: the transfers must have succeeded, not merely used their nonces.
        TransactionReceipt last = await AnvilProcess.WaitForReceiptAsync(rpc, TransactionSerializer.Hash(raw[^1]));
        return last.Succeeded ? run : throw new InvalidOperationException($"The floor's last transfer {TransactionSerializer.Hash(raw[^1])} reverted.");
    }

    private static async Task DistributionAsync(HostBuild build, ApiBenchOptions options, ApiBenchReport report, TextWriter progress, bool csv)
    {
        byte[] body = csv ? ApiClient.DistributionCsv(options.Rows) : ApiClient.DistributionJson(options.Rows);
        Distributed run = await DistributeAsync(build, options, body, csv ? "text/csv" : "application/json", options.Rows);
        if (run.Status.TryGetProperty("customStatus", out JsonElement custom) && custom.ValueKind == JsonValueKind.Object &&
            custom.TryGetProperty("confirmed", out JsonElement confirmed) && confirmed.GetInt32() != options.Rows)
        {
            throw new InvalidOperationException($"The {build.Label} distribution {run.Id} is Completed with {confirmed.GetInt32()} of {options.Rows} transfers confirmed.");
        }

        string kind = csv ? "csv" : "json";
        report.Add($"{build.Label}.{kind}.post", run.Post);
        report.Add($"{build.Label}.{kind}.mined", run.Mined);
        report.Add($"{build.Label}.{kind}.total", run.Total);
        AddCpu(report, $"{build.Label}.{kind}.cpu", run.Cpu, options.Rows);
        report.CommandsSubmitted += 2 + options.Warmup;
        report.CommandsCompleted += run.Completed;
        progress.WriteLine($"[{build.Label}] distribution {kind} {options.Rows} rows: POST {run.Post:F2} s, all mined {run.Mined:F2} s, POST -> Completed {run.Total:F2} s ({options.Rows / run.Total:F0} tx/s){Describe(run.Cpu)}");
    }

    // The POST of a large distribution per row (issue 20: <= 0.5 ms at 20,000 rows), then every transfer Completed, so
    // a fast answer that loses rows cannot pass.
    private static async Task LargeDistributionAsync(HostBuild build, ApiBenchOptions options, ApiBenchReport report, TextWriter progress)
    {
        byte[] body = ApiClient.DistributionJson(options.LargeRows);
        Distributed run = await DistributeAsync(build, options, body, "application/json", options.LargeRows);
        int confirmed = run.Status.GetProperty("customStatus").GetProperty("confirmed").GetInt32();
        if (confirmed != options.LargeRows)
        {
            throw new InvalidOperationException($"The {build.Label} distribution {run.Id} is Completed with {confirmed} of {options.LargeRows} transfers confirmed.");
        }

        report.Add($"{build.Label}.large.postPerRow", run.Post * 1000 / options.LargeRows);
        report.Add($"{build.Label}.large.total", run.Total);
        AddCpu(report, $"{build.Label}.large.cpu", run.Cpu, options.LargeRows);
        report.CommandsSubmitted += 2 + options.Warmup;
        report.CommandsCompleted += run.Completed;
        progress.WriteLine($"[{build.Label}] distribution json {options.LargeRows} rows ({body.Length / 1_000_000.0:F1} MB): POST {run.Post:F2} s ({run.Post * 1000 / options.LargeRows:F3} ms/row), POST -> Completed {run.Total:F2} s ({options.LargeRows / run.Total:F0} tx/s){Describe(run.Cpu)}");
    }

    // One distribution of rows transfers on a fresh stack: issue a token, POST the body, wait until the issuer's nonce
    // and then the command say every transfer is done; the clock runs from the POST.
    private static async Task<Distributed> DistributeAsync(HostBuild build, ApiBenchOptions options, byte[] body, string contentType, int rows)
    {
        await using Stack stack = await Stack.StartAsync(build);
        ApiClient api = stack.Api;
        Address token = await api.IssueAsync();
        await WarmUpAsync(stack, token, options);
        ulong start = await stack.Rpc.GetTransactionCountAsync(s_issuer, BlockParameter.Pending);
        CpuSample? cpuAtStart = stack.Cpu();
        var clock = Stopwatch.StartNew();
        string id = await api.PostDistributionAsync(token, body, contentType);
        double post = clock.Elapsed.TotalSeconds;
        await api.WaitForNonceAsync(stack.Rpc, s_issuer, start + (ulong)rows, $"command {id}");
        double mined = clock.Elapsed.TotalSeconds;
        JsonElement status = await api.WaitCompletedAsync(id);
        double total = clock.Elapsed.TotalSeconds;
        CpuSample? used = CpuSample.Between(cpuAtStart, stack.Cpu());
        return new Distributed(id, post, mined, total, status, api.Completed, used);
    }

    // Mined: when the issuer's last transaction was mined; what follows is confirming it and the command's answer.
    // Cpu: what each process used from the POST until Completed (null off Linux).
    private sealed record Distributed(string Id, double Post, double Mined, double Total, JsonElement Status, int Completed, CpuSample? Cpu);

    // A scenario's CPU per process, in milliseconds per transaction, under prefix.host, .azurite, .anvil and .client.
    private static void AddCpu(ApiBenchReport report, string prefix, CpuSample? used, int transactions)
    {
        if (used is null)
        {
            return;
        }

        report.Add($"{prefix}.host", used.Host.TotalMilliseconds / transactions);
        report.Add($"{prefix}.azurite", used.Azurite.TotalMilliseconds / transactions);
        report.Add($"{prefix}.anvil", used.Anvil.TotalMilliseconds / transactions);
        report.Add($"{prefix}.client", used.Client.TotalMilliseconds / transactions);
    }

    private static string Describe(CpuSample? used) => used is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $"; CPU host {used.Host.TotalSeconds:F2} s, Azurite {used.Azurite.TotalSeconds:F2} s, anvil {used.Anvil.TotalSeconds:F2} s, client {used.Client.TotalSeconds:F2} s");

    private static async Task TransfersAsync(HostBuild build, ApiBenchOptions options, ApiBenchReport report, TextWriter progress)
    {
        await using Stack stack = await Stack.StartAsync(build);
        ApiClient api = stack.Api;
        Address token = await api.IssueAsync();
        await WarmUpAsync(stack, token, options);
        ulong start = await stack.Rpc.GetTransactionCountAsync(s_issuer, BlockParameter.Pending);
        var ids = new ConcurrentBag<string>();
        CpuSample? cpuAtStart = stack.Cpu();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Transfers), new ParallelOptions { MaxDegreeOfParallelism = options.Clients },
            async (i, _) => ids.Add(await api.PostTransferAsync(token, i)));
        double accepted = clock.Elapsed.TotalSeconds;
        CpuSample? cpuAccepted = stack.Cpu();
        string[] distinct = [.. ids.Distinct(StringComparer.Ordinal)];
        if (distinct.Length != options.Transfers)
        {
            throw new InvalidOperationException($"{options.Transfers} transfers with distinct external ids got {distinct.Length} distinct command ids from the {build.Label} host.");
        }

        await api.WaitAllCompletedAsync(distinct, stack.Rpc, s_issuer, start + (ulong)options.Transfers);
        double total = clock.Elapsed.TotalSeconds;
        if (cpuAtStart is not null && cpuAccepted is not null && stack.Cpu() is { } cpuAtEnd)
        {
            // Where the machine's cores went per transfer, from the first POST until every transfer is Completed, and
            // how busy they were while the transfers were being accepted (near all of them: the rate is CPU-bound).
            AddCpu(report, $"{build.Label}.transfers.cpu", cpuAtEnd.Since(cpuAtStart), options.Transfers);
            report.Add($"{build.Label}.transfers.cpu.busy", cpuAccepted.Since(cpuAtStart).Total.TotalSeconds / accepted);
        }
        report.Add($"{build.Label}.transfers.accepted", options.Transfers / accepted);
        report.Add($"{build.Label}.transfers.total", total);
        report.CommandsSubmitted += 1 + options.Warmup + options.Transfers;
        report.CommandsCompleted += api.Completed;
        progress.WriteLine($"[{build.Label}] {options.Transfers} transfers from {options.Clients} clients: all accepted in {accepted:F2} s ({options.Transfers / accepted:F0}/s), all Completed at {total:F2} s");
    }

    // What a single transfer costs at least on this machine whatever the pipeline does, measured on a fresh stack with as
    // many requests and clients as the transfer scenario: the host answering a POST at all (a malformed body, refused
    // before any storage or chain read; after as many unmeasured ones, so it is warm), Azurite storing one entity
    // shaped like a command row, alone and in entity-group batches of 100 (the cheapest durable write there is), and
    // reading one back (what answering a status read takes at least). With floor A's node CPU per transaction they
    // bound from below what accepting, sending and reporting one transfer can cost here.
    private static async Task LeastCostsAsync(HostBuild build, ApiBenchOptions options, ApiBenchReport report, TextWriter progress)
    {
        await using Stack stack = await Stack.StartAsync(build);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Clients };
        Task Refuse(int offset) => Parallel.ForEachAsync(Enumerable.Range(offset, options.Transfers), parallel, async (i, _) => await stack.Api.PostMalformedTransferAsync(s_issuer, i));
        await Refuse(0);
        CpuSample? before = stack.Cpu();
        double refused = await TimeAsync(() => Refuse(options.Transfers));
        CpuSample? answered = stack.Cpu();

        var table = new TableClient(stack.Storage, "leastcosts");
        await table.CreateIfNotExistsAsync();
        CpuSample? tableMade = stack.Cpu();
        double inserted = await TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, options.Transfers), parallel,
            async (i, ct) => await table.AddEntityAsync(CommandLike($"single-{i}", "command"), ct)));
        CpuSample? single = stack.Cpu();
        double batched = await TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, options.Transfers).Chunk(StorageLimits.MaxTransactionActions), new ParallelOptions { MaxDegreeOfParallelism = 2 },
            async (chunk, ct) => await table.SubmitTransactionAsync([.. chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Add, CommandLike("batched", $"command-{i:D6}")))], ct)));
        CpuSample? batch = stack.Cpu();
        double read = await TimeAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, options.Transfers), parallel,
            async (i, ct) => await table.GetEntityAsync<TableEntity>($"single-{i}", "command", cancellationToken: ct)));
        CpuSample? reads = stack.Cpu();
        if (before is null || answered is null || tableMade is null || single is null || batch is null || reads is null)
        {
            return;
        }

        AddCpu(report, $"{build.Label}.least.cpu.answer", answered.Since(before), options.Transfers);
        report.Add($"{build.Label}.least.cpu.insert.azurite", single.Since(tableMade).Azurite.TotalMilliseconds / options.Transfers);
        report.Add($"{build.Label}.least.cpu.batched.azurite", batch.Since(single).Azurite.TotalMilliseconds / options.Transfers);
        report.Add($"{build.Label}.least.cpu.read.azurite", reads.Since(batch).Azurite.TotalMilliseconds / options.Transfers);
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{build.Label}] {options.Transfers} malformed POSTs refused in {refused:F2} s{Describe(answered.Since(before))}; {options.Transfers} entities inserted one by one in {inserted:F2} s (Azurite {single.Since(tableMade).Azurite.TotalSeconds:F2} s), in batches of {StorageLimits.MaxTransactionActions} in {batched:F2} s (Azurite {batch.Since(single).Azurite.TotalSeconds:F2} s), read back one by one in {read:F2} s (Azurite {reads.Since(batch).Azurite.TotalSeconds:F2} s)"));

        static TableEntity CommandLike(string partition, string row) => new(partition, row)
        {
            ["Name"] = "transfer", ["Fingerprint"] = new string('f', 64), ["Lane"] = "31337-" + s_issuer.ToLowerHex(), ["Planned"] = false,
            ["CreatedTime"] = DateTimeOffset.UtcNow, ["ClaimedUntil"] = DateTimeOffset.UtcNow, ["AnsweredWhenAdmitted"] = true,
        };
    }

    // Options.Warmup single transfers, from as many clients as the transfer scenario, to recipients and external ids
    // no measured command uses (so the measured ones still pay for new holders), waited until Completed.
    private static async Task WarmUpAsync(Stack stack, Address token, ApiBenchOptions options)
    {
        if (options.Warmup == 0)
        {
            return;
        }

        const int FirstIndex = 1_000_000;
        ulong start = await stack.Rpc.GetTransactionCountAsync(s_issuer, BlockParameter.Pending);
        var ids = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(FirstIndex, options.Warmup), new ParallelOptions { MaxDegreeOfParallelism = options.Clients },
            async (i, _) => ids.Add(await stack.Api.PostTransferAsync(token, i)));
        await stack.Api.WaitAllCompletedAsync([.. ids.Distinct(StringComparer.Ordinal)], stack.Rpc, s_issuer, start + (ulong)options.Warmup);
    }

    private static async Task ScanAsync(HostBuild build, ApiBenchOptions options, ApiBenchReport report, TextWriter progress, bool floorFirst)
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync(extraArguments: ["--gas-limit", "100000000"]);
        using var rpc = new JsonRpcClient(anvil.RpcUrl);
        var generate = Stopwatch.StartNew();
        string deployHash = (await anvil.RpcAsync("eth_sendTransaction", new { from = AnvilAccounts.Addresses[1], data = Hex.Encode(TransferSpammerContract.Deploy()), gas = "0x1C9C380" })).GetString()!;
        TransactionReceipt deployed = await AnvilProcess.WaitForReceiptAsync(rpc, Hash32.Parse(deployHash));
        Address spammer = deployed.ContractAddress!.Value;
        for (int i = 0; i < options.Events / EventsPerCall; i++)
        {
            string hash = (await anvil.RpcAsync("eth_sendTransaction", new { from = AnvilAccounts.Addresses[1], to = spammer.ToString(), data = Hex.Encode(TransferSpammerContract.Spam((ulong)i, (ulong)EventsPerCall)), gas = "0x3938700" })).GetString()!;
            if (!(await AnvilProcess.WaitForReceiptAsync(rpc, Hash32.Parse(hash))).Succeeded)
            {
                throw new InvalidOperationException($"spam call {i} ({hash}) reverted.");
            }
        }

        ulong first = deployed.BlockNumber, last = await rpc.GetBlockNumberAsync();
        progress.WriteLine($"scan: {options.Events:N0} Transfer events in blocks {first}..{last} made in {generate.Elapsed.TotalSeconds:F1} s");

        await using Stack stack = await Stack.StartAsync(build, anvil);
        if (floorFirst)
        {
            await ScanFloorAsync(stack, rpc, spammer, first, last, options.Events, report);
        }

        CpuSample? cpuAtStart = stack.Cpu();
        var clock = Stopwatch.StartNew();
        string id = await stack.Api.PostScanAsync(spammer, first);
        JsonElement status = await stack.Api.WaitCompletedAsync(id);
        double scan = clock.Elapsed.TotalSeconds;
        CpuSample? scanCpu = CpuSample.Between(cpuAtStart, stack.Cpu());
        long events = status.GetProperty("output").GetProperty("events").GetInt64();
        if (events != options.Events)
        {
            throw new InvalidOperationException($"The scan {id} is Completed with {events} events, expected {options.Events}: {status.GetRawText()}");
        }

        report.Add("scan", scan);
        AddCpu(report, "scan.cpu", scanCpu, options.Events / 1000);
        report.CommandsSubmitted++;
        report.CommandsCompleted += stack.Api.Completed;
        if (!floorFirst)
        {
            await ScanFloorAsync(stack, rpc, spammer, first, last, options.Events, report);
        }

        // The cap table and the partition read alternate too, for the same reason.
        TableClient holders = StorageAccount.FromConnectionString(stack.Storage).Tables.GetTableClient("scanholders");
        string pk = ScanStore.Key(spammer);
        double cap = 0, partition = 0, ranges = 0;
        int rows = 0, ranged = 0;
        for (int round = 0; round < 2; round++)
        {
            if ((round == 0) == floorFirst)
            {
                partition = await TimeAsync(async () => rows = await CountAsync(holders, TableClient.CreateQueryFilter($"PartitionKey eq {pk}")));
                ranges = await TimeAsync(async () => ranged = (await Task.WhenAll(Enumerable.Range(0, 16).Select(r => CountAsync(holders, Range(pk, r))))).Sum());
            }
            else
            {
                JsonElement table = default;
                cap = await TimeAsync(async () => table = await stack.Api.GetHoldersAsync(spammer));
                long holderCount = table.GetProperty("holderCount").GetInt64();
                if (holderCount != options.Events || table.GetProperty("holders").GetArrayLength() == 0)
                {
                    throw new InvalidOperationException($"The cap table has holderCount {holderCount} and {table.GetProperty("holders").GetArrayLength()} holders on its first page; expected {options.Events} holders.");
                }
            }
        }

        if (rows != options.Events || ranged != options.Events)
        {
            throw new InvalidOperationException($"The holder partition has {rows} rows ({ranged} in 16 ranges); expected {options.Events}.");
        }

        report.Add("cap", cap);
        report.Add("cap.partition", partition);
        report.Add("cap.ranges", ranges);
        progress.WriteLine($"scan {options.Events:N0} events: POST -> Completed {scan:F2} s{Describe(scanCpu)}, floor {report.Samples["scan.floor"][^1]:F2} s; cap table first page {cap:F2} s, partition read {partition:F2} s (16 ranges {ranges:F2} s)");
    }

    private static async Task ScanFloorAsync(Stack stack, JsonRpcClient rpc, Address token, ulong first, ulong last, int expected, ApiBenchReport report)
    {
        string warm = "warm" + Guid.NewGuid().ToString("N")[..8], measured = "floor" + Guid.NewGuid().ToString("N")[..8];
        TableServiceClient tables = StorageAccount.FromConnectionString(stack.Storage).Tables;
        foreach (string name in new[] { warm + "events", warm + "holders", measured + "events", measured + "holders" })
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        using var raw = new RawTableHttp(stack.Storage);
        string pk = ScanStore.Key(token);

        // One block first, untimed, so the floor is not charged for its own start-up (connections, JIT).
        await WriteFloorAsync(first, first + 1, warm);

        // Pipelined like the scanner (4 ranges in flight), so reading the chain overlaps writing the table: ranges
        // of 5 blocks (5,000 events here), each one eth_getLogs and then its batches, 2 at a time.
        int written = 0;
        CpuSample? cpuAtStart = stack.Cpu();
        double seconds = await TimeAsync(() => Parallel.ForEachAsync(
            Enumerable.Range(0, (int)((last - first) / 5) + 1).Select(r => first + (ulong)r * 5),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (from, _) => Interlocked.Add(ref written, await WriteFloorAsync(from, Math.Min(from + 4, last), measured))));
        if (written != expected)
        {
            throw new InvalidOperationException($"eth_getLogs returned {written} logs in all, expected {expected}.");
        }

        report.Add("scan.floor", seconds);
        AddCpu(report, "scan.floor.cpu", CpuSample.Between(cpuAtStart, stack.Cpu()), expected / 1000);

        async Task<int> WriteFloorAsync(ulong from, ulong to, string prefix)
        {
            IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { FromBlock = from, ToBlock = to, Addresses = [token] });

            // The rows the scanner writes for these events: an event row and a holder row per Transfer (every
            // receiver is new, so no history row), with the same properties, as raw entity-group batches.
            IEnumerable<(string Table, IReadOnlyDictionary<string, object> Row)> rows = logs.Select(l => (prefix + "events", (IReadOnlyDictionary<string, object>)new Dictionary<string, object>
            {
                ["PartitionKey"] = pk, ["RowKey"] = TransferLog.EventKey(l.BlockNumber!.Value, l.LogIndex!.Value),
                ["Block"] = (long)l.BlockNumber!.Value, ["LogIndex"] = (long)l.LogIndex!.Value, ["TxHash"] = l.TransactionHash!.Value.ToString(),
                ["BlockHash"] = l.BlockHash!.Value.ToString(), ["From"] = Holder(l.Topics[1]), ["To"] = Holder(l.Topics[2]),
                ["Value"] = UInt256.FromBigEndian(l.Data).ToString(), ["BlockTime"] = DateTimeOffset.UnixEpoch,
            })).Concat(logs.Select(l => (prefix + "holders", (IReadOnlyDictionary<string, object>)new Dictionary<string, object>
            {
                ["PartitionKey"] = pk, ["RowKey"] = Holder(l.Topics[2]), ["Balance"] = "1", ["Sortable"] = ScanStore.Sortable(1),
                ["LastBlock"] = (long)l.BlockNumber!.Value, ["LastTime"] = DateTimeOffset.UnixEpoch, ["FirstBlock"] = (long)l.BlockNumber!.Value,
            })));
            await Parallel.ForEachAsync(rows.Chunk(StorageLimits.MaxTransactionActions), new ParallelOptions { MaxDegreeOfParallelism = 2 },
                async (batch, _) =>
                {
                    foreach (IGrouping<string, (string Table, IReadOnlyDictionary<string, object> Row)> group in batch.GroupBy(b => b.Table))
                    {
                        await raw.InsertBatchAsync(group.Key, [.. group.Select(g => g.Row)]);
                    }
                });
            return logs.Count;
        }
    }

    private static string Range(string pk, int r)
    {
        const string digits = "0123456789abcdef";
        return r == 15
            ? TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {"0x" + digits[r]}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {"0x" + digits[r]} and RowKey lt {"0x" + digits[r + 1]}");
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

    private static string Holder(Hash32 topic) => "0x" + Hex.EncodeNoPrefix(topic.ToArray())[24..];

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} cores)";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>One scenario's fresh anvil (unless given), fresh Azurite and the host process, with a client and an RPC client.</summary>
    private sealed class Stack : IAsyncDisposable
    {
        private AnvilProcess? _ownAnvil;
        private AnvilProcess? _anvil;
        private AzuriteProcess? _azurite;
        private HostProcess? _host;

        public ApiClient Api { get; private set; } = null!;

        public JsonRpcClient Rpc { get; private set; } = null!;

        public string Storage => _azurite!.ConnectionString;

        public static async Task<Stack> StartAsync(HostBuild build, AnvilProcess? anvil = null)
        {
            var stack = new Stack();
            try
            {
                if (anvil is null)
                {
                    anvil = stack._ownAnvil = await AnvilProcess.StartAsync();
                }

                stack._anvil = anvil;
                stack._azurite = await AzuriteProcess.StartAsync();
                stack._host = await HostProcess.StartAsync(build, stack._azurite.ConnectionString, anvil.RpcUrl, anvil.ChainId, AnvilAccounts.PrivateKeys[0]);
                stack.Api = new ApiClient(stack._host);
                stack.Rpc = new JsonRpcClient(anvil.RpcUrl);
                return stack;
            }
            catch
            {
                await stack.DisposeAsync();
                throw;
            }
        }

        /// <summary>The CPU time the stack's processes and this client have used so far; null off Linux.</summary>
        public CpuSample? Cpu() => CpuSample.Take(_host!.ProcessId, _azurite!.ProcessId, _anvil!.ProcessId);

        public async ValueTask DisposeAsync()
        {
            Api?.Dispose();
            Rpc?.Dispose();
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }

            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }

            if (_ownAnvil is not null)
            {
                await _ownAnvil.DisposeAsync();
            }
        }
    }
}
