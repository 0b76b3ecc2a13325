using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Keys;
using Microsoft.Extensions.Logging.Abstractions;
using StoFunctions.Azure.KeyVault;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
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
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// A distribution of N exec(bytes32) calls end to end on anvil with automine (command accepted → all confirmed,
/// ledger in Azurite) against (a) the floor: the same calls pre-signed and posted by a minimal client, and
/// (b) ethers v6 NonceManager awaiting each receipt; plus the pipeline signing through the test Key Vault at
/// 25 ms latency. Each path runs on its own fresh anvil with the same contract deployed. Usage:
/// <c>pipeline [rows=2000] [ethersRows=rows] [--kv-only]</c>; a smaller <c>ethersRows</c> measures the ethers baseline on that
/// many rows and scales it (quick runs only: the issue's figure is the full count); <c>--kv-only</c> measures only
/// the Key Vault lane (its goal, ≥ 200 tx/s, needs no baseline, and the floors can stall anvil on a loaded machine).
/// </summary>
public sealed class PipelineSuite : IBenchmarkSuite
{
    private static readonly AbiFunction s_exec = AbiFunction.Parse("exec(bytes32)");

    public string Name => "pipeline";

    public string Description => "N-row distribution end to end vs pre-signed floor and ethers v6 NonceManager (anvil automine, Azurite)";

    public async Task RunAsync(string[] args)
    {
        string[] numbers = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        int rows = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 2000;
        int ethersRows = numbers.Length > 1 ? Math.Min(rows, int.Parse(numbers[1], CultureInfo.InvariantCulture)) : rows;
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        if (args.Contains("--kv-only"))
        {
            double alone = await KeyVaultPipelineAsync(azurite, rows);
            Console.WriteLine($"| {"path (" + rows + " rows, anvil automine)",-52} | {"seconds",8} | {"tx/s",8} |");
            Row("pipeline with test Key Vault at 25 ms per sign", alone, rows);
            Console.WriteLine($"Key Vault lane = {rows / alone:F0} tx/s (goal >= 200)");
            return;
        }

        // Each path gets a fresh anvil with the same oracle deployed: anvil slows down as its chain grows (every
        // transaction is its own block under automine), so on one shared chain a path's figure depended on its
        // place in the order (the Key Vault path took 10.6 s as the last of four and 7.1-7.6 s alone).
        //
        // Two floors: the issue's minimal client, one eth_sendRawTransaction per request, against which the goal is
        // judged; and, for reference, JSON-RPC batches of 100 as the lane sends them. The batched floor is unstable
        // on anvil: with 2,000 transactions of one sender pooled at once, identical runs took 0.7 to 16 s, some
        // stopped mining for good (541 of 2,000 mined) and anvil sometimes exited. A client without resends cannot
        // finish those, so such a run is reported instead of ending the benchmark.
        double sequentialFloor;
        await using (Chain chain = await Chain.StartAsync())
        {
            sequentialFloor = await FloorAsync(chain, rows, batchSize: 1);
        }

        Console.WriteLine($"floor (one request per transaction) done: {sequentialFloor:F2} s");
        double batchedFloor = double.NaN;
        await using (Chain chain = await Chain.StartAsync())
        {
            try
            {
                batchedFloor = await FloorAsync(chain, rows, batchSize: 100);
                Console.WriteLine($"floor (batches of 100) done: {batchedFloor:F2} s");
            }
            catch (Exception e) when (e is JsonRpcTransportException or TimeoutException)
            {
                Console.WriteLine($"floor (batches of 100) did not finish: {e.Message}");
            }
        }

        double ours;
        await using (Chain chain = await Chain.StartAsync())
        {
            var local = new LocalKeySigner(PrivateKey.Parse(AnvilAccounts.PrivateKeys[3]), chain.Anvil.ChainId);
            ours = await PipelineAsync(chain, azurite.ConnectionString, rows, local, "local");
        }

        Console.WriteLine($"pipeline (local signer) done: {ours:F2} s");
        double ethers;
        await using (Chain chain = await Chain.StartAsync())
        {
            ethers = await EthersAsync(chain, ethersRows) * rows / ethersRows;
        }

        Console.WriteLine($"ethers done: {ethers:F2} s{(ethersRows < rows ? $" (measured on {ethersRows} rows, scaled)" : "")}");

        double withVault = await KeyVaultPipelineAsync(azurite, rows);
        Console.WriteLine($"pipeline (test Key Vault, 25 ms) done: {withVault:F2} s");

        Console.WriteLine($"| {"path (" + rows + " rows, anvil automine)",-52} | {"seconds",8} | {"tx/s",8} |");
        Console.WriteLine($"|{new string('-', 54)}|{new string('-', 10)}|{new string('-', 10)}|");
        Row("floor: pre-signed, one request per transaction", sequentialFloor, rows);
        Row("floor: pre-signed, JSON-RPC batches of 100", batchedFloor, rows);
        Row("pipeline: submitted -> all Confirmed (local signer)", ours, rows);
        Row("pipeline with test Key Vault at 25 ms per sign", withVault, rows);
        Row("ethers v6 NonceManager, await each receipt" + (ethersRows < rows ? " (scaled)" : ""), ethers, rows);
        Console.WriteLine($"pipeline / floor = {ours / sequentialFloor:F2}x (goal <= 1.5x); ethers / pipeline = {ethers / ours:F2}x (goal >= 5x); " +
            $"Key Vault lane = {rows / withVault:F0} tx/s (goal >= 200); pipeline / batched floor = {ours / batchedFloor:F2}x (reference)");
    }

    // The vault in a child process, as Key Vault is elsewhere in production (see KeyVaultSuite).
    private static async Task<double> KeyVaultPipelineAsync(AzuriteProcess azurite, int rows)
    {
        await using Chain chain = await Chain.StartAsync();
        await using BenchVault vault = await BenchVault.ChildAsync(latencyMs: 25);
        var options = new KeyClientOptions { Transport = new HttpClientTransport(vault.Handler) };
        KeyVaultEthereumSigner kv = await KeyVaultEthereumSigner.CreateAsync(new KeyClient(vault.Uri, new StaticToken(), options), "bench", vault.KeyVersion);
        await chain.Anvil.RpcAsync("anvil_setBalance", kv.Address.ToString(), "0x56BC75E2D63100000");
        return await PipelineAsync(chain, azurite.ConnectionString, rows, kv, "kv");
    }

    private static void Row(string label, double seconds, int rows) =>
        Console.WriteLine($"| {label,-52} | {seconds,8:F2} | {rows / seconds,8:F0} |");

    private static byte[] Call(string id) => s_exec.EncodeCall(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(id)).ToArray());

    private static async Task<double> FloorAsync(Chain chain, int rows, int batchSize)
    {
        (AnvilProcess anvil, JsonRpcClient rpc, Address oracle) = chain;
        var key = PrivateKey.Parse(AnvilAccounts.PrivateKeys[2]);
        ulong start = await rpc.GetTransactionCountAsync(key.Address, BlockParameter.Pending);
        byte[][] raw = [.. Enumerable.Range(0, rows).AsParallel().AsOrdered().Select(i => TransactionSigner.SignAndSerialize(new Eip1559Transaction
        {
            ChainId = (ulong)anvil.ChainId,
            Nonce = start + (ulong)i,
            MaxPriorityFeePerGas = 1_000_000_000UL,
            MaxFeePerGas = 10_000_000_000UL,
            GasLimit = 100_000UL,
            To = oracle,
            Data = Call("floor-" + i),
        }, key))];
        var watch = Stopwatch.StartNew();
        foreach (byte[][] chunk in raw.Chunk(batchSize))
        {
            if (batchSize == 1)
            {
                await rpc.SendRawTransactionAsync(chunk[0]);
                continue;
            }

            JsonRpcBatch batch = rpc.CreateBatch();
            Task<Hash32>[] sends = [.. chunk.Select(tx => batch.Add<Hash32>("eth_sendRawTransaction", (ReadOnlyMemory<byte>)tx))];
            await batch.SendAsync();
            await Task.WhenAll(sends);
        }

        ulong mined;
        while ((mined = await rpc.GetTransactionCountAsync(key.Address, BlockParameter.Latest)) < start + (ulong)rows)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"anvil stopped mining the pooled transactions: {mined - start} of {rows} mined after 60 s.");
            }

            await Task.Delay(5);
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> PipelineAsync(Chain chain, string storage, int rows, ISigner signer, string tag)
    {
        (AnvilProcess anvil, JsonRpcClient rpc, Address oracle) = chain;
        string suffix = tag + Guid.NewGuid().ToString("N")[..8];
        var ledger = new LedgerTable(StorageAccount.FromConnectionString(storage).Tables.GetTableClient("ledger" + suffix));
        var lane = new LaneId(anvil.ChainId, signer.Address);
        var transaction = new TransactionLane(lane, ledger, rpc, signer, LaneOptions.DevChain, FaultInjector.None, NullLogger.Instance);
        var service = new CommandService(StorageAccount.FromConnectionString(storage).Tables.GetTableClient("commands" + suffix), ledger, rpc, lane, [new ExecPlanner()], wake: _ => transaction.Wake());
        await service.CreateIfNotExistsAsync();
        var input = new { oracle = oracle.ToString(), ids = Enumerable.Range(0, rows).Select(i => tag + "-" + i).ToArray() };
        ulong start = await rpc.GetTransactionCountAsync(signer.Address, BlockParameter.Pending);
        using var stop = new CancellationTokenSource();
        Task running = transaction.RunAsync(stop.Token);
        var watch = Stopwatch.StartNew();
        string id = await service.SubmitAsync(new CommandRequest("exec", tag, JsonSerializer.SerializeToElement(input)));
        double accepted = watch.Elapsed.TotalSeconds;

        // The end is the moment the lane's cursor passes the command's last nonce: the lane moves it only after every
        // row below is persisted in a terminal state. Polling the full status of 2,000 rows instead would make the
        // benchmark itself the main load on Azurite; the status read afterwards checks the outcome.
        while ((await ledger.GetCursorAsync(lane)).OpenFrom < start + (ulong)rows)
        {
            await Task.Delay(10);
        }

        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"pipeline ({tag}): submission (planning, nonce allocation, {rows} rows stored) took {accepted:F2} s, then {seconds - accepted:F2} s to all Confirmed");
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // Stopped inside a storage or node call rather than between steps: the measurement is already taken.
        }
        CommandStatus status = (await service.GetStatusAsync(id))!;
        if (status.RuntimeStatus != CommandRuntimeStatus.Completed || status.CustomStatus.Confirmed != rows)
        {
            throw new InvalidOperationException($"the {tag} distribution ended {status.RuntimeStatus} with {status.CustomStatus}");
        }

        return seconds;
    }

    private static async Task<double> EthersAsync(Chain chain, int rows)
    {
        (AnvilProcess anvil, _, Address oracle) = chain;
        string script = Path.Combine(RepoPaths.Root, "bench", "StoFunctions.Benchmarks", "ethers", "nonce-manager.js");
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { script, anvil.RpcUrl.ToString(), AnvilAccounts.PrivateKeys[4], oracle.ToString(), rows.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        using Process node = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed with exit code {node.ExitCode}: {await stderr}");
        }

        JsonElement result = JsonDocument.Parse(await stdout).RootElement;
        if (result.GetProperty("stalls").GetInt32() is int stalls and > 0)
        {
            Console.WriteLine($"ethers: tx.wait() stalled {stalls} time(s) and was re-awaited after its 5 s timeout (included in its time)");
        }

        return result.GetProperty("seconds").GetDouble();
    }

    private static async Task<Address> DeployOracleAsync(AnvilProcess anvil, JsonRpcClient rpc)
    {
        ContractArtifact artifact = ContractArtifact.Load("EffectOracle");
        string code = artifact.Bytecode.StartsWith("0x", StringComparison.Ordinal) ? artifact.Bytecode : "0x" + artifact.Bytecode;
        JsonElement hash = await anvil.RpcAsync("eth_sendTransaction", new { from = AnvilAccounts.Addresses[0], data = code, gas = "0x200000" });
        return (await AnvilProcess.WaitForReceiptAsync(rpc, Hash32.Parse(hash.GetString()!))).ContractAddress!.Value;
    }

    /// <summary>A fresh anvil with an <c>EffectOracle</c> deployed: every measured path starts from the same chain.</summary>
    private sealed class Chain(AnvilProcess anvil, JsonRpcClient rpc, Address oracle) : IAsyncDisposable
    {
        public AnvilProcess Anvil => anvil;

        public static async Task<Chain> StartAsync()
        {
            AnvilProcess anvil = await AnvilProcess.StartAsync();
            var rpc = new JsonRpcClient(anvil.RpcUrl);
            return new Chain(anvil, rpc, await DeployOracleAsync(anvil, rpc));
        }

        public void Deconstruct(out AnvilProcess anvilProcess, out JsonRpcClient client, out Address oracleAddress) =>
            (anvilProcess, client, oracleAddress) = (anvil, rpc, oracle);

        public async ValueTask DisposeAsync()
        {
            rpc.Dispose();
            await anvil.DisposeAsync();
        }
    }

    /// <summary>One exec(id) per id, business key = id: the shape of a distribution (one transfer per external id).</summary>
    private sealed class ExecPlanner : ICommandPlanner
    {
        public string Name => "exec";

        public Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
        {
            Address oracle = Address.Parse(input.GetProperty("oracle").GetString()!);
            return Task.FromResult<IReadOnlyList<TransactionIntent>>([.. input.GetProperty("ids").EnumerateArray().Select(id => new TransactionIntent
            {
                To = oracle,
                Data = Call(id.GetString()!),
                GasLimit = 100_000,
                BusinessKey = "exec/" + id.GetString(),
            })]);
        }
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("bench", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
