using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Data.Tables;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Tests.Resilience;

/// <summary>
/// Issue #14 item 2: the app as a child process keeps working through a storage outage, a node outage and tables
/// deleted under it — without being restarted — and <c>/api/health</c> reports each dependency meanwhile. Every wait
/// is for an outcome with a generous deadline; the outages themselves last a fixed time longer than the lane's
/// 15 s lease, as in the issue (16 s).
/// </summary>
public sealed partial class OutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(20);

    // Health checks its dependencies within 3 s; an answer later than this would be a hang.
    private static readonly TimeSpan s_healthBound = TimeSpan.FromSeconds(10);

    // A handful per background loop (first failure, lease, recovery); one per poll would be hundreds in 20 s.
    private const int MaxLogEntriesDuringOutage = 60;

    [Fact]
    public async Task Azurite_stopped_and_restarted_mid_distribution_the_distribution_completes_without_an_app_restart_every_row_paid_once()
    {
        string location = Directory.CreateTempSubdirectory("sto-outage-azurite-").FullName;
        try
        {
            Task<AnvilProcess> startingAnvil = AnvilProcess.StartAsync();
            await using AzuriteProcess azurite = await AzuriteProcess.StartPersistentAsync(location);
            await using AnvilProcess anvil = await startingAnvil;
            await using ChildPlatform platform = await ChildPlatform.StartAsync(anvil, azurite, 0);
            Address token = await platform.IssueAsync("100000000", "outage-storage-issue");
            List<KeyValuePair<Address, UInt256>> first = ChildPlatform.Recipients(1401, 300);
            string id = await platform.SubmitAsync($"/api/tokens/{token}/distributions", ChildPlatform.DistributionJson("storage-a", first), "outage-storage-a");
            await WaitForHealthAsync(platform.App, "storage", "Healthy");

            int entriesBefore = LogEntries(platform.App.Output);
            await azurite.StopAsync();
            var clock = Stopwatch.StartNew();
            await WaitForHealthAsync(platform.App, "storage", "Unhealthy");
            await Task.Delay(s_outage - clock.Elapsed > TimeSpan.Zero ? s_outage - clock.Elapsed : TimeSpan.Zero);
            int entriesDuring = LogEntries(platform.App.Output) - entriesBefore;
            await azurite.RestartAsync();
            output.WriteLine($"Azurite was down {clock.Elapsed.TotalSeconds:F1} s; the app logged {entriesDuring} entries meanwhile");

            await WaitForHealthAsync(platform.App, "storage", "Healthy");
            await platform.WaitCompletedAsync(id, TimeSpan.FromSeconds(240));
            List<KeyValuePair<Address, UInt256>> second = ChildPlatform.Recipients(1402, 20);
            await platform.WaitCompletedAsync(await platform.SubmitAsync($"/api/tokens/{token}/distributions", ChildPlatform.DistributionJson("storage-b", second), "outage-storage-b"), TimeSpan.FromSeconds(120));

            await LaneAudit.AssertLaneAsync(platform.Ledger, platform.Rpc, anvil, platform.Lane);
            await LaneAudit.AssertTransfersAsync(platform.Rpc, token, platform.Issuer, first.Concat(second).ToDictionary(p => p.Key, p => p.Value));
            Assert.Equal(1, platform.App.Starts);
            Assert.True(platform.App.IsRunning);
            Assert.True(entriesDuring <= MaxLogEntriesDuringOutage, $"{entriesDuring} log entries during a {s_outage.TotalSeconds:F0} s outage\n{ChildPlatform.Tail(platform.App.Output)}");
        }
        finally
        {
            Directory.Delete(location, recursive: true);
        }
    }

    [Fact]
    public async Task Anvil_stopped_and_restarted_mid_distribution_the_distribution_completes_without_an_app_restart_every_row_paid_once()
    {
        string state = Directory.CreateTempSubdirectory("sto-outage-anvil-").FullName;
        try
        {
            Task<AnvilProcess> startingAnvil = AnvilProcess.StartAsync(extraArguments: ["--state", Path.Combine(state, "state.json")]);
            await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
            await using AnvilProcess anvil = await startingAnvil;
            await using ChildPlatform platform = await ChildPlatform.StartAsync(anvil, azurite, 0);
            Address token = await platform.IssueAsync("100000000", "outage-node-issue");
            List<KeyValuePair<Address, UInt256>> first = ChildPlatform.Recipients(1403, 300);
            string id = await platform.SubmitAsync($"/api/tokens/{token}/distributions", ChildPlatform.DistributionJson("node-a", first), "outage-node-a");
            await WaitForHealthAsync(platform.App, "chain", "Healthy");

            int entriesBefore = LogEntries(platform.App.Output);
            await anvil.StopAsync();
            var clock = Stopwatch.StartNew();
            await WaitForHealthAsync(platform.App, "chain", "Unhealthy");
            await Task.Delay(s_outage - clock.Elapsed > TimeSpan.Zero ? s_outage - clock.Elapsed : TimeSpan.Zero);
            int entriesDuring = LogEntries(platform.App.Output) - entriesBefore;
            await anvil.RestartAsync();
            output.WriteLine($"anvil was down {clock.Elapsed.TotalSeconds:F1} s; the app logged {entriesDuring} entries meanwhile");

            await WaitForHealthAsync(platform.App, "chain", "Healthy");
            await platform.WaitCompletedAsync(id, TimeSpan.FromSeconds(240));
            List<KeyValuePair<Address, UInt256>> second = ChildPlatform.Recipients(1404, 20);
            await platform.WaitCompletedAsync(await platform.SubmitAsync($"/api/tokens/{token}/distributions", ChildPlatform.DistributionJson("node-b", second), "outage-node-b"), TimeSpan.FromSeconds(120));

            await LaneAudit.AssertLaneAsync(platform.Ledger, platform.Rpc, anvil, platform.Lane);
            await LaneAudit.AssertTransfersAsync(platform.Rpc, token, platform.Issuer, first.Concat(second).ToDictionary(p => p.Key, p => p.Value));
            Assert.Equal(1, platform.App.Starts);
            Assert.True(entriesDuring <= MaxLogEntriesDuringOutage, $"{entriesDuring} log entries during a {s_outage.TotalSeconds:F0} s outage\n{ChildPlatform.Tail(platform.App.Output)}");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Scanner_tables_and_lease_containers_deleted_while_the_app_runs_are_created_again_and_the_lane_and_scan_timer_work()
    {
        Task<AnvilProcess> startingAnvil = AnvilProcess.StartAsync();
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        await using AnvilProcess anvil = await startingAnvil;
        await using ChildPlatform platform = await ChildPlatform.StartAsync(anvil, azurite, 0);
        Address token = await platform.IssueAsync("100000000", "deleted-tables-issue");
        var store = new ScanStore(StorageAccount.FromConnectionString(azurite.ConnectionString).Tables, new ScannerOptions());
        await WaitForHoldersAsync(store, token, new Dictionary<Address, UInt256> { [platform.Issuer] = (UInt256)100_000_000UL }, platform);

        var tables = StorageAccount.FromConnectionString(azurite.ConnectionString).Tables;
        foreach (string table in (string[])["scanevents", "scanholders", "scanhistory", "scancursors", "scanwatch", "identities", "scanjobs"])
        {
            try
            {
                await tables.DeleteTableAsync(table);
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 404)
            {
                // Not created yet (nothing used it): nothing to delete.
            }
        }

        var blobs = StorageAccount.FromConnectionString(azurite.ConnectionString).Blobs;
        await blobs.GetBlobContainerClient("lane-leases").DeleteAsync();
        await blobs.GetBlobContainerClient("azure-webjobs-hosts").DeleteAsync();

        List<KeyValuePair<Address, UInt256>> rows = ChildPlatform.Recipients(1405, 20);
        await platform.WaitCompletedAsync(await platform.SubmitAsync($"/api/tokens/{token}/distributions", ChildPlatform.DistributionJson("deleted", rows), "deleted-tables-distribution"), TimeSpan.FromSeconds(120));
        var expected = rows.ToDictionary(p => p.Key, p => p.Value);
        expected[platform.Issuer] = (UInt256)(100_000_000UL - rows.Aggregate(0UL, (sum, p) => sum + (ulong)p.Value));
        await WaitForHoldersAsync(store, token, expected, platform);
        await LaneAudit.AssertTransfersAsync(platform.Rpc, token, platform.Issuer, rows.ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal(1, platform.App.Starts);
    }

    /// <summary>Polls the scanner's holders of <paramref name="token"/> (read straight from storage) until they equal <paramref name="expected"/>.</summary>
    private static async Task WaitForHoldersAsync(ScanStore store, Address token, IReadOnlyDictionary<Address, UInt256> expected, ChildPlatform platform)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(180);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                Dictionary<Address, HolderBalance> holders = await store.LoadHoldersAsync(token);
                last = string.Join(", ", holders.Values.Select(h => $"{h.Holder}={h.Balance}"));
                if (holders.Count == expected.Count && expected.All(p => holders.TryGetValue(p.Key, out HolderBalance? h) && h.Balance == (System.Numerics.BigInteger)p.Value))
                {
                    return;
                }
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 404)
            {
                last = "the scanner tables do not exist";
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"the scanner's holders of {token} did not reach the expected {expected.Count}; last: {last}\n{ChildPlatform.Tail(platform.App.History)}");
    }

    /// <summary>One health answer now: it must come within the bound, with 503 exactly when the status is Unhealthy.</summary>
    private static async Task<JsonElement> HealthAsync(AppProcess app)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = s_healthBound + TimeSpan.FromSeconds(20) };
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        }
        catch (HttpRequestException e)
        {
            throw new Xunit.Sdk.XunitException($"/api/health did not answer ({e.Message}); the app {(app.IsRunning ? "runs" : "exited")}\n{ChildPlatform.Tail(app.History, 20000)}");
        }

        using HttpResponseMessage answered = response;
        TimeSpan took = clock.Elapsed;
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(took < s_healthBound, $"/api/health took {took.TotalSeconds:F1} s: {body}");
        string status = body.GetProperty("status").GetString()!;
        Assert.Equal(status == "Unhealthy" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK, response.StatusCode);
        return body;
    }

    private static async Task WaitForHealthAsync(AppProcess app, string dependency, string expected)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await HealthAsync(app);
            string? actual = last.GetProperty("dependencies").GetProperty(dependency).GetProperty("status").GetString();

            // "Healthy" here means "answers": a loaded machine makes a check slower than DependencyHealth.SlowAfter
            // (Degraded) without the dependency being down.
            if (actual == expected || (expected == "Healthy" && actual == "Degraded"))
            {
                if (expected == "Unhealthy")
                {
                    Assert.Equal("Unhealthy", last.GetProperty("status").GetString());
                }

                return;
            }

            await Task.Delay(250);
        }

        throw new Xunit.Sdk.XunitException($"{dependency} did not become {expected}; last health: {last}");
    }

    /// <summary>Log entries the console logger wrote (each starts with its level: <c>warn: …</c>).</summary>
    private static int LogEntries(string text) => LogEntryStart().Count(text);

    [GeneratedRegex(@"^(trce|dbug|info|warn|fail|crit): ", RegexOptions.Multiline)]
    private static partial Regex LogEntryStart();
}
