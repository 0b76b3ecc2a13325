using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Data.Tables;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Runtime;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Two instances of the real app (each its own in-memory server, lane runner, listeners and lease ids) on one
/// Azurite and one anvil, as two scaled-out instances of a deployment: timer occurrences, queue messages and
/// blob versions each run once, and the command work they start takes effect once. Counted from storage.
/// </summary>
public sealed class TwoInstanceTests(PrivateChain chain, ITestOutputHelper output) : IClassFixture<PrivateChain>
{
    private const int QueuedTransfers = 20;
    private const int CsvFiles = 6;
    private const int RowsPerFile = 3;
    private const int HttpTransfers = 10;
    private const int ProbeMessages = 40;
    private const int ProbeBlobs = 10;
    private const string HostId = "stofunctions";

    [Fact]
    public async Task TwoAppInstancesOnOneStorage_RunEachTimerOccurrenceMessageAndBlobOnce_AndEachCommandTakesEffectOnce()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:singleton:listenerLockPeriod"] = "00:00:15",
            ["AzureFunctionsJobHost:singleton:listenerLockRecoveryPollingInterval"] = "00:00:00.500",
        };
        PlatformApp one = PlatformApp.Attach(chain.Azurite, chain.Anvil, settings, Probes("one"));
        PlatformApp two = PlatformApp.Attach(chain.Azurite, chain.Anvil, settings, Probes("two"));
        Address token;
        ulong firstNonce;
        var expected = new Dictionary<Address, UInt256>();
        string[] csvNames = [.. Enumerable.Range(0, CsvFiles).Select(f => $"batch-{f}.csv")];
        try
        {
            token = await one.IssueAsync("1000000", decimals: 0);
            firstNonce = await one.IssuerNonceAsync();

            // Queue and blob work for both instances' listeners, plus HTTP to each instance in turn.
            var queues = StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Queues;
            QueueClient probeQueue = queues.GetQueueClient("probe-work");
            await probeQueue.CreateIfNotExistsAsync();
            BlobContainerClient probeContainer = StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Blobs.GetBlobContainerClient("probe-blobs");
            await probeContainer.CreateIfNotExistsAsync();
            var sends = new List<Task>();
            for (int i = 0; i < QueuedTransfers; i++)
            {
                Address to = Holder(i);
                expected[to] = Amount(i);
                string body = JsonSerializer.Serialize(new { command = "transfer", idempotencyKey = $"queued-{i}", payload = new { token = token.ToString(), externalId = $"q-{i}", to = to.ToString(), amount = Amount(i).ToString() } });
                sends.Add(queues.GetQueueClient(Platform.CommandsQueue).SendMessageAsync(body));
            }

            for (int f = 0; f < CsvFiles; f++)
            {
                var csv = new StringBuilder("external_id,email,name,address,amount\n");
                for (int r = 0; r < RowsPerFile; r++)
                {
                    int n = 100 + (f * RowsPerFile) + r;
                    expected[Holder(n)] = Amount(n);
                    csv.Append(CultureInfo.InvariantCulture, $"b-{f}-{r},,,{Holder(n)},{Amount(n)}\n");
                }

                sends.Add(one.Distributions.GetBlobClient($"{token}/{csvNames[f]}").UploadAsync(BinaryData.FromString(csv.ToString()), overwrite: true));
            }

            sends.AddRange(Enumerable.Range(0, ProbeMessages).Select(i => probeQueue.SendMessageAsync($"probe-{i}")));
            sends.AddRange(Enumerable.Range(0, ProbeBlobs).Select(i => probeContainer.GetBlobClient($"p/{i}.bin").UploadAsync(BinaryData.FromString($"blob {i}"), overwrite: true)));
            await Task.WhenAll(sends);
            for (int i = 0; i < HttpTransfers; i++)
            {
                Address to = Holder(200 + i);
                expected[to] = Amount(200 + i);
                await (i % 2 == 0 ? one : two).SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = $"h-{i}", to = to.ToString(), amount = Amount(200 + i).ToString() }, $"http-{i}");
            }

            int transfers = QueuedTransfers + (CsvFiles * RowsPerFile) + HttpTransfers;
            DateTime deadline = DateTime.UtcNow.AddSeconds(90);
            while (await one.IssuerNonceAsync() < firstNonce + (ulong)transfers ||
                   (await InvocationLog.ReadAsync(chain.Azurite.ConnectionString)).Count(r => r.Kind != "timer") < ProbeMessages + ProbeBlobs)
            {
                Assert.True(DateTime.UtcNow < deadline, $"after 90 s: issuer nonce {await one.IssuerNonceAsync()} of {firstNonce + (ulong)transfers}");
                await Task.Delay(300);
            }

            // Let both instances poll a few more rounds: a second run of anything would show up now.
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await two.DisposeAsync();
            await one.DisposeAsync();
        }

        List<(string Kind, string Subject, string Instance)> runs = await InvocationLog.ReadAsync(chain.Azurite.ConnectionString);
        foreach (string kind in new[] { "timer", "queue", "blob" })
        {
            var byInstance = runs.Where(r => r.Kind == kind).GroupBy(r => r.Instance).Select(g => $"{g.Key} {g.Count()}");
            output.WriteLine($"{kind} runs by instance: {string.Join(", ", byInstance)}");
        }

        // Probes: every message and blob exactly once; timer occurrences once each, and the timer did run.
        Assert.Equal(Enumerable.Range(0, ProbeMessages).Select(i => $"probe-{i}").Order(), runs.Where(r => r.Kind == "queue").Select(r => r.Subject).Order());
        Assert.Equal(Enumerable.Range(0, ProbeBlobs).Select(i => $"p/{i}.bin").Order(), runs.Where(r => r.Kind == "blob").Select(r => r.Subject).Order());
        List<string> ticks = [.. runs.Where(r => r.Kind == "timer").Select(r => r.Subject)];
        Assert.True(ticks.Count >= 3, $"only {ticks.Count} timer occurrences ran");
        Assert.Equal(ticks.Count, ticks.Distinct().Count());

        // Commands: the issue, one per queued message, one per file, one per HTTP request; nothing poisoned.
        Assert.Equal(1 + QueuedTransfers + CsvFiles + HttpTransfers, await CountAsync(StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Tables.GetTableClient(Platform.CommandsTable)));
        var raw = StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).RawQueues;
        Assert.Equal(0, (await raw.GetQueueClient(Platform.CommandsQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, await ApproximateCountAsync(raw.GetQueueClient(Platform.CommandsQueue + "-poison")));

        // Blobs: one complete receipt and one Accepted report per file, each naming its own command.
        BlobServiceClient blobs = StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Blobs;
        var receipts = new List<BlobItem>();
        await foreach (BlobItem item in blobs.GetBlobContainerClient(TriggerStorage.HostsContainer).GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, $"blobreceipts/{HostId}/{nameof(StoFunctions.Functions.Distributions.DistributionBlob)}/", CancellationToken.None))
        {
            // The local host polls the container, so the function's own .result.json reports get receipts too (the
            // function ignores them); in Azure the Event Grid subscription delivers only *.csv (infra/modules/blobevents.bicep).
            if (item.Name.EndsWith(".csv", StringComparison.Ordinal))
            {
                receipts.Add(item);
            }
        }

        Assert.Equal(csvNames.Select(n => $"{token}/{n}").Order(), receipts.Select(r => r.Name[(r.Name.IndexOf("/distributions/", StringComparison.Ordinal) + "/distributions/".Length)..]).Order());
        var reportIds = new HashSet<string>();
        foreach (string name in csvNames)
        {
            BlobClient report = blobs.GetBlobContainerClient(Platform.DistributionsContainer).GetBlobClient($"{token}/{name}.result.json");
            using JsonDocument doc = JsonDocument.Parse((await report.DownloadContentAsync()).Value.Content.ToString());
            Assert.Equal("Accepted", doc.RootElement.GetProperty("result").GetString());
            Assert.True(reportIds.Add(doc.RootElement.GetProperty("commandId").GetString()!));
        }

        // Chain and ledger: exactly one transaction per transfer, all confirmed, and every holder got its amount once.
        int total = QueuedTransfers + (CsvFiles * RowsPerFile) + HttpTransfers;
        using var rpc = new StoFunctions.Ethereum.Rpc.JsonRpcClient(chain.Anvil.RpcUrl);
        Assert.Equal(firstNonce + (ulong)total, await rpc.GetTransactionCountAsync(Address.Parse(AnvilAccounts.Addresses[0]), StoFunctions.Ethereum.Rpc.BlockParameter.Latest));
        var ledger = new LedgerTable(StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Tables.GetTableClient(Platform.LedgerTableName));
        var lane = new LaneId(chain.Anvil.ChainId, Address.Parse(AnvilAccounts.Addresses[0]));
        List<LedgerTransaction> rows = await ledger.GetTransactionsAsync(lane, firstNonce);
        Assert.Equal(Enumerable.Range(0, total).Select(i => firstNonce + (ulong)i), rows.Select(r => r.Nonce));
        Assert.All(rows, r => Assert.Equal(TransactionState.Confirmed, r.State));
        Assert.Equal(total, rows.Select(r => r.BusinessKey).Distinct().Count());
        foreach ((Address holder, UInt256 amount) in expected)
        {
            Assert.Equal(amount, await BalanceAsync(rpc, token, holder));
        }
    }

    private static Action<IServiceCollection> Probes(string instance) => services =>
    {
        services.AddSingleton(sp => new InvocationLog(instance, sp.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"]!));
        services.AddTimerFunction<TickTimer>("Tick", o => o.Schedule = "* * * * * *");
        services.AddQueueFunction<ProbeWorkQueue>("probe-work");
        services.AddBlobFunction<ProbeBlobFunction>("probe-blobs");
    };

    private static Address Holder(int i) => Address.Parse("0x" + (0x5000 + i).ToString("x40", CultureInfo.InvariantCulture));

    private static UInt256 Amount(int i) => (ulong)(i + 1);

    private static async Task<UInt256> BalanceAsync(StoFunctions.Ethereum.Rpc.JsonRpcClient rpc, Address token, Address holder) =>
        StoFunctions.Contracts.SecurityTokenContract.DecodeBalanceOf(await rpc.CallAsync(new StoFunctions.Ethereum.Rpc.CallRequest { To = token, Data = StoFunctions.Contracts.SecurityTokenContract.BalanceOf(holder) }));

    private static async Task<int> CountAsync(TableClient table)
    {
        int count = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>())
        {
            count++;
        }

        return count;
    }

    private static async Task<int> ApproximateCountAsync(QueueClient queue)
    {
        try
        {
            return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }
}
