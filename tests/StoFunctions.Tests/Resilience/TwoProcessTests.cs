using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Data.Tables;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Tests.Resilience;

/// <summary>
/// Two app processes (<see cref="AppProcess"/>, the real app as built, nothing shared but Azurite and anvil) as two
/// scaled-out instances: the Scan timer, set to every second, runs each occurrence on one process only (read from
/// both processes' logs); messages on <c>sto-commands</c> and CSV files in <c>distributions</c> each become one
/// command; every transfer is sent once, on contiguous nonces. <see cref="EndToEnd.TwoInstanceTests"/> covers the
/// same with probe functions in two in-process hosts.
/// </summary>
public sealed partial class TwoProcessTests(PrivateChain chain, ITestOutputHelper output) : IClassFixture<PrivateChain>
{
    private const int QueuedTransfers = 12;
    private const int CsvFiles = 3;
    private const int RowsPerFile = 2;

    [Fact]
    public async Task TwoAppProcessesOnOneStorage_RunEachScanOccurrenceOnce_AndQueueAndBlobWorkTakesEffectOnce()
    {
        await using ChildPlatform one = await ChildPlatform.StartAsync(chain.Anvil, chain.Azurite, account: 0, configure: Configure);
        await using ChildPlatform two = await ChildPlatform.StartAsync(chain.Anvil, chain.Azurite, account: 0, configure: Configure);
        Address token = await one.IssueAsync("1000000", "two-process-issue");
        ulong firstNonce = await one.Rpc.GetTransactionCountAsync(one.Issuer, BlockParameter.Latest);

        var expected = new Dictionary<Address, UInt256>();
        List<KeyValuePair<Address, UInt256>> holders = ChildPlatform.Recipients(77, QueuedTransfers + (CsvFiles * RowsPerFile));
        var queues = StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Queues;
        QueueClient commands = queues.GetQueueClient(Platform.CommandsQueue);
        await commands.CreateIfNotExistsAsync();
        for (int i = 0; i < QueuedTransfers; i++)
        {
            (Address to, UInt256 amount) = holders[i];
            expected[to] = amount;
            string body = JsonSerializer.Serialize(new { command = "transfer", idempotencyKey = $"queued-{i}", payload = new { token = token.ToString(), externalId = $"q-{i}", to = to.ToString(), amount = amount.ToString() } });
            await commands.SendMessageAsync(body);
        }

        BlobContainerClient distributions = StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Blobs.GetBlobContainerClient(Platform.DistributionsContainer);
        await distributions.CreateIfNotExistsAsync();
        string[] csvNames = [.. Enumerable.Range(0, CsvFiles).Select(f => $"file-{f}.csv")];
        for (int f = 0; f < CsvFiles; f++)
        {
            var csv = new StringBuilder("external_id,email,name,address,amount\n");
            for (int r = 0; r < RowsPerFile; r++)
            {
                (Address to, UInt256 amount) = holders[QueuedTransfers + (f * RowsPerFile) + r];
                expected[to] = amount;
                csv.Append(CultureInfo.InvariantCulture, $"f-{f}-{r},,,{to},{amount}\n");
            }

            await distributions.GetBlobClient($"{token}/{csvNames[f]}").UploadAsync(BinaryData.FromString(csv.ToString()), overwrite: true);
        }

        int transfers = expected.Count;
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        while (await one.Rpc.GetTransactionCountAsync(one.Issuer, BlockParameter.Latest) < firstNonce + (ulong)transfers)
        {
            Assert.True(DateTime.UtcNow < deadline, $"after 90 s: nonce {await one.Rpc.GetTransactionCountAsync(one.Issuer, BlockParameter.Latest)} of {firstNonce + (ulong)transfers}");
            await Task.Delay(300);
        }

        // More polling rounds for both: a second run of a message or blob, or a second send, would show now.
        await Task.Delay(TimeSpan.FromSeconds(4));

        // Timer: each occurrence ran on exactly one process (the singleton lock), and the schedule kept running.
        // Both processes log at Information (each announces its timer), so a run on either would be seen.
        Assert.Contains("Timer function Scan scheduled", one.App.Output, StringComparison.Ordinal);
        Assert.Contains("Timer function Scan scheduled", two.App.Output, StringComparison.Ordinal);
        List<string> occurrences = [.. ScanRuns(one.App.Output).Concat(ScanRuns(two.App.Output))];
        output.WriteLine($"Scan occurrences: process one {ScanRuns(one.App.Output).Count}, process two {ScanRuns(two.App.Output).Count}");
        Assert.True(occurrences.Count >= 5, $"only {occurrences.Count} Scan occurrences ran:\n{ChildPlatform.Tail(one.App.Output + two.App.Output)}");
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count());

        // Commands: the issue, one per message, one per file; the queue and its poison queue are empty.
        int commandRows = 0;
        await foreach (TableEntity _ in StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Tables.GetTableClient(Platform.CommandsTable).QueryAsync<TableEntity>())
        {
            commandRows++;
        }

        Assert.Equal(1 + QueuedTransfers + CsvFiles, commandRows);
        var raw = StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).RawQueues;
        Assert.Equal(0, (await raw.GetQueueClient(Platform.CommandsQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
        QueueClient poison = raw.GetQueueClient(Platform.CommandsQueue + "-poison");
        await poison.CreateIfNotExistsAsync();
        Assert.Equal(0, (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // Blobs: one Accepted report per file, each naming its own command.
        var reportIds = new HashSet<string>();
        foreach (string name in csvNames)
        {
            using JsonDocument report = JsonDocument.Parse((await distributions.GetBlobClient($"{token}/{name}.result.json").DownloadContentAsync()).Value.Content.ToString());
            Assert.Equal("Accepted", report.RootElement.GetProperty("result").GetString());
            Assert.True(reportIds.Add(report.RootElement.GetProperty("commandId").GetString()!));
        }

        // Chain and ledger: contiguous nonces, all confirmed, one transfer per holder with its amount.
        await LaneAudit.AssertLaneAsync(one.Ledger, one.Rpc, chain.Anvil, one.Lane);
        await LaneAudit.AssertTransfersAsync(one.Rpc, token, one.Issuer, expected);
        Assert.Equal(firstNonce + (ulong)transfers, await one.Rpc.GetTransactionCountAsync(one.Issuer, BlockParameter.Latest));
    }

    private static void Configure(AppProcessOptions options)
    {
        options.Settings["AzureFunctionsJobHost:stoFunctions:timers:Scan:schedule"] = "* * * * * *";
        options.Settings["AzureFunctionsJobHost:singleton:listenerLockRecoveryPollingInterval"] = "00:00:00.500";
        options.Settings["Logging:LogLevel:StoFunctions.Runtime"] = "Information";
        options.Settings["AzureFunctionsJobHost:logging:logLevel:StoFunctions.Runtime"] = "Information";
    }

    private static List<string> ScanRuns(string log) => [.. TimerRun().Matches(log).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"Timer function Scan runs for (\S+)")]
    private static partial Regex TimerRun();
}
