using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// Command submission (validate, persist, allocate nonces; no sending) on Azurite: N one-transaction commands
/// from 50 concurrent submitters, batched per lane by <see cref="CommandService"/>, against the same commands
/// submitted one at a time (what a per-instance gate gave) and against 50 submitters allocating one command each
/// with its own ETag round on the account row (<see cref="NonceAllocator.AllocateAsync"/>). Usage: <c>submission [n=1000]</c>.
/// </summary>
public sealed class SubmissionSuite : IBenchmarkSuite
{
    private const int Submitters = 50;

    public string Name => "submission";

    public string Description => "N concurrent one-transaction commands: batched submission vs one at a time vs per-command ETag allocation (Azurite)";

    public async Task RunAsync(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        await using AnvilProcess anvil = await AnvilProcess.StartAsync();
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        using var rpc = new JsonRpcClient(anvil.RpcUrl);
        Address target = Address.Parse(AnvilAccounts.Addresses[9]);

        double serial = await SubmitAsync(azurite.ConnectionString, rpc, new LaneId(anvil.ChainId, Address.Parse(AnvilAccounts.Addresses[1])), target, n, 1);
        double batched = await SubmitAsync(azurite.ConnectionString, rpc, new LaneId(anvil.ChainId, Address.Parse(AnvilAccounts.Addresses[2])), target, n, Submitters);
        double contended = await AllocateEachAsync(azurite.ConnectionString, new LaneId(anvil.ChainId, Address.Parse(AnvilAccounts.Addresses[3])), target, n);

        Console.WriteLine($"| {"path (" + n + " commands, 1 transaction each)",-60} | {"seconds",8} | {"req/s",8} |");
        Console.WriteLine($"|{new string('-', 62)}|{new string('-', 10)}|{new string('-', 10)}|");
        Row("one at a time (per-instance gate)", serial, n);
        Row($"{Submitters} submitters, per-command ETag allocation only", contended, n);
        Row($"{Submitters} submitters, batched per lane (CommandService)", batched, n);
        Console.WriteLine($"batched / one at a time = {serial / batched:F1}x faster; batched / per-command allocation = {contended / batched:F1}x faster");
    }

    private static void Row(string label, double seconds, int n) =>
        Console.WriteLine($"| {label,-60} | {seconds,8:F2} | {n / seconds,8:F0} |");

    private static async Task<double> SubmitAsync(string storage, JsonRpcClient rpc, LaneId lane, Address target, int n, int submitters)
    {
        string suffix = submitters.ToString(CultureInfo.InvariantCulture);
        var ledger = new LedgerTable(StorageAccount.FromConnectionString(storage).Tables.GetTableClient("ledger" + suffix));
        var service = new CommandService(StorageAccount.FromConnectionString(storage).Tables.GetTableClient("commands" + suffix), ledger, rpc, lane, [new IntentListPlanner()]);
        await service.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = submitters }, async (i, ct) =>
            await service.SubmitAsync(Command(target, $"s{suffix}-{i}"), ct));
        double seconds = clock.Elapsed.TotalSeconds;
        LedgerAccount account = (await ledger.GetAccountAsync(lane))!;
        if (account.NextNonce - account.FirstNonce != (ulong)n)
        {
            throw new InvalidOperationException($"expected {n} nonces, the ledger has {account.NextNonce - account.FirstNonce}");
        }

        return seconds;
    }

    private static async Task<double> AllocateEachAsync(string storage, LaneId lane, Address target, int n)
    {
        var ledger = new LedgerTable(StorageAccount.FromConnectionString(storage).Tables.GetTableClient("ledgereach"));
        await ledger.CreateIfNotExistsAsync();
        var allocator = new NonceAllocator(ledger);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = Submitters }, async (i, ct) =>
            await allocator.AllocateAsync(lane, $"each-{i}", [new TransactionIntent { To = target, GasLimit = 21_000, BusinessKey = $"each/{i}" }], 0, ct));
        return clock.Elapsed.TotalSeconds;
    }

    private static CommandRequest Command(Address target, string key) =>
        new("transactions", key, JsonSerializer.SerializeToElement(new { transactions = new[] { new { to = target.ToString(), data = "0x", gasLimit = 21_000, businessKey = key } } }));
}
