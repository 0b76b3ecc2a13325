using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using Azure.Data.Tables;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// Storage clients against a private Azurite: Table inserts one request per entity (sequential and 16 in
/// flight) against entity-group transactions of 100; the same client against a raw <see cref="HttpClient"/> floor
/// (<see cref="RawTableHttp"/>, alternating rounds, medians, the ratio printed); queue send then receive+delete throughput.
/// Usage: <c>storage [entities=2000] [messages=2000]</c>.
/// </summary>
public sealed class StorageSuite : IBenchmarkSuite
{
    private const int Concurrency = 16;
    private const int Rounds = 5;

    /// <inheritdoc />
    public string Name => "storage";

    /// <inheritdoc />
    public string Description => "Table batch vs single inserts (entities/s, ratio); queue send+receive messages/s (Azurite)";

    /// <inheritdoc />
    public async Task RunAsync(string[] args)
    {
        int entities = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        int messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        entities = Math.Max(100, entities / 100 * 100);

        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        var service = StorageAccount.FromConnectionString(azurite.ConnectionString).Tables;
        TableClient table = service.GetTableClient("bench" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        using var raw = new RawTableHttp(azurite.ConnectionString);
        await WarmUpAsync(table, raw);

        double sequential = await RateAsync(entities, () => SingleInsertsAsync(table, "seq", entities, 1));
        double parallel = await RateAsync(entities, () => SingleInsertsAsync(table, "par", entities, Concurrency));
        double batched = await RateAsync(entities, () => BatchInsertsAsync(table, "batch", entities));

        Console.WriteLine($"{"table insert",-36} {"entities/s",12} {"vs sequential",14}");
        Print("single, sequential", sequential, sequential);
        Print($"single, {Concurrency} in flight", parallel, sequential);
        Print("transaction of 100, sequential", batched, sequential);
        Console.WriteLine($"batch / single-sequential = {batched / sequential:F1}x; batch / single-{Concurrency} = {batched / parallel:F1}x");

        // The client against the raw HTTP floor, alternating rounds so both see the same machine load; medians.
        var clientBatch = new List<double>();
        var rawBatch = new List<double>();
        var clientSingle = new List<double>();
        var rawSingle = new List<double>();
        for (int round = 0; round < Rounds; round++)
        {
            string r = round.ToString(CultureInfo.InvariantCulture);
            clientBatch.Add(await RateAsync(entities, () => BatchInsertsAsync(table, "cb" + r, entities)));
            rawBatch.Add(await RateAsync(entities, () => RawBatchInsertsAsync(raw, table.Name, "rb" + r, entities)));
            clientSingle.Add(await RateAsync(entities, () => SingleInsertsAsync(table, "cs" + r, entities, Concurrency)));
            rawSingle.Add(await RateAsync(entities, () => ForEachConcurrentAsync(entities, Concurrency, i => raw.InsertAsync(table.Name, Fields("rs" + r, i)))));
        }

        Console.WriteLine();
        Console.WriteLine($"{"client vs raw HTTP (median of " + Rounds + ")",-36} {"client/s",12} {"raw/s",12} {"client/raw",11}");
        PrintVersusRaw("transaction of 100, sequential", Median(clientBatch), Median(rawBatch));
        PrintVersusRaw($"single, {Concurrency} in flight", Median(clientSingle), Median(rawSingle));

        QueueClient queue = StorageAccount.FromConnectionString(azurite.ConnectionString).Queues.GetQueueClient("bench-" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        await ForEachConcurrentAsync(messages, Concurrency, i => queue.SendMessageAsync("{\"n\":" + i.ToString(CultureInfo.InvariantCulture) + "}"));
        double sendSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        int received = await DrainAsync(queue);
        double receiveSeconds = clock.Elapsed.TotalSeconds;
        if (received != messages)
        {
            throw new InvalidOperationException($"Received {received} of {messages} messages.");
        }

        Console.WriteLine();
        Console.WriteLine($"{"queue (" + messages + " messages)",-36} {"messages/s",12}");
        Console.WriteLine($"{"send, " + Concurrency + " in flight",-36} {messages / sendSeconds,12:F0}");
        Console.WriteLine($"{"receive 32 + delete, 4 receivers",-36} {messages / receiveSeconds,12:F0}");
        Console.WriteLine($"{"send + receive + delete end to end",-36} {messages / (sendSeconds + receiveSeconds),12:F0}");
    }

    private static void Print(string label, double rate, double baseline) =>
        Console.WriteLine($"{label,-36} {rate,12:F0} {rate / baseline,13:F2}x");

    private static void PrintVersusRaw(string label, double client, double raw) =>
        Console.WriteLine($"{label,-36} {client,12:F0} {raw,12:F0} {client / raw,10:F2}x");

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static async Task WarmUpAsync(TableClient table, RawTableHttp raw)
    {
        await SingleInsertsAsync(table, "warm", 50, 4);
        await BatchInsertsAsync(table, "warmbatch", 200);
        await ForEachConcurrentAsync(50, 4, i => raw.InsertAsync(table.Name, Fields("rawwarm", i)));
        await RawBatchInsertsAsync(raw, table.Name, "rawwarmbatch", 200);
    }

    private static async Task RawBatchInsertsAsync(RawTableHttp raw, string table, string partition, int count)
    {
        for (int start = 0; start < count; start += 100)
        {
            await raw.InsertBatchAsync(table, Enumerable.Range(start, 100).Select(i => Fields(partition, i)).ToArray());
        }
    }

    private static IReadOnlyDictionary<string, object> Fields(string partition, int i) => new Dictionary<string, object>
    {
        ["PartitionKey"] = partition,
        ["RowKey"] = i.ToString("D8", CultureInfo.InvariantCulture),
        ["Amount"] = (long)i * 1_000_000,
        ["Investor"] = "0x" + i.ToString("x40", CultureInfo.InvariantCulture),
        ["At"] = DateTimeOffset.UnixEpoch.AddSeconds(i),
    };

    private static async Task<double> RateAsync(int count, Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await run();
        return count / clock.Elapsed.TotalSeconds;
    }

    private static Task SingleInsertsAsync(TableClient table, string partition, int count, int concurrency) =>
        ForEachConcurrentAsync(count, concurrency, i => table.AddEntityAsync(Entity(partition, i)));

    private static async Task BatchInsertsAsync(TableClient table, string partition, int count)
    {
        for (int start = 0; start < count; start += StorageLimits.MaxTransactionActions)
        {
            await table.SubmitTransactionAsync(Enumerable.Range(start, StorageLimits.MaxTransactionActions)
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, Entity(partition, i))));
        }
    }

    private static TableEntity Entity(string partition, int i) => new(partition, i.ToString("D8", CultureInfo.InvariantCulture))
    {
        ["Amount"] = (long)i * 1_000_000,
        ["Investor"] = "0x" + i.ToString("x40", CultureInfo.InvariantCulture),
        ["At"] = DateTimeOffset.UnixEpoch.AddSeconds(i),
    };

    private static async Task ForEachConcurrentAsync(int count, int concurrency, Func<int, Task> action)
    {
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await action(i);
            }
        }));
    }

    private static async Task<int> DrainAsync(QueueClient queue)
    {
        int total = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (true)
            {
                IReadOnlyList<QueueMessage> batch = (await queue.ReceiveMessagesAsync(StorageLimits.MaxMessagesPerCall, TimeSpan.FromMinutes(5))).Value;
                if (batch.Count == 0)
                {
                    return;
                }

                await Task.WhenAll(batch.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt)));
                Interlocked.Add(ref total, batch.Count);
            }
        }));
        return total;
    }
}
