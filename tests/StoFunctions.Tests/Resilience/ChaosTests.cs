using System.Diagnostics;
using System.Globalization;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Tests.Resilience;

/// <summary>
/// The chaos run of issue #6: a distribution through the app as a child process, with ~10 % of the JSON-RPC
/// calls faulted by a proxy (drops, timeouts after forwarding, synthetic node errors) and the process killed
/// with SIGKILL at random moments and restarted each time on the same storage. It must end with exactly one
/// <c>Transfer</c> per external id, contiguous nonces, every command Completed.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    // Small commands: planning runs inside the HTTP request and a kill loses it, so a 250-row plan (seconds of
    // chain reads under faults) would rarely survive the kill rhythm and the kills would all land before sending.
    private const int RowsPerCommand = 50;

    // The issue's run: 1,000 transfers and ≥ 10 kills (~145 s alone on the 2-core dev machine, most of it lease
    // expiry after each kill of a lease holder and sending under 10 % faults; ./dev test stays near 6 minutes).
    // STO_CHAOS_TRANSFERS=300 is a quicker run while iterating. STO_CHAOS_KILLS and STO_CHAOS_SEED change the run;
    // the seed reproduces the fault and kill schedule, not the machine's timing.
    private static readonly int s_transfers = Setting("STO_CHAOS_TRANSFERS", 1000);
    private static readonly int s_kills = Setting("STO_CHAOS_KILLS", 10);

    [Fact]
    [Trait("Category", "Chaos")]
    public async Task DistributionUnderKillsAndRpcFaults_EndsWithOneTransferPerExternalId_ContiguousNonces_AllCommandsCompleted()
    {
        int seed = Setting("STO_CHAOS_SEED", Random.Shared.Next(1, int.MaxValue));
        output.WriteLine($"chaos seed {seed} (STO_CHAOS_SEED={seed} repeats the schedule): {s_transfers} transfers, {s_kills} kills, 10 % RPC faults");
        var clock = Stopwatch.StartNew();
        Task<AnvilProcess> startingAnvil = AnvilProcess.StartAsync();
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        await using AnvilProcess anvil = await startingAnvil;
        await using RpcFaultProxy proxy = await RpcFaultProxy.StartAsync(anvil.RpcUrl);
        await using ChildPlatform platform = await ChildPlatform.StartAsync(anvil, azurite, 0, proxy.Url);
        Address token = await platform.IssueAsync("100000000", "chaos-issue");
        ulong firstNonce = await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest);
        TimeSpan setup = clock.Elapsed;

        List<KeyValuePair<Address, UInt256>> recipients = ChildPlatform.Recipients(seed, s_transfers);
        string path = $"/api/tokens/{token}/distributions";
        string[] bodies = [.. recipients.Chunk(RowsPerCommand).Select((chunk, c) => ChildPlatform.DistributionJson($"chaos-{c}", chunk))];
        var ids = new string[bodies.Length];
        RandomRpcFaults faults = RandomRpcFaults.Start(proxy, 0.10, seed, RandomRpcFaults.PipelineRules);
        Task submitting = Task.Run(async () =>
        {
            for (int c = 0; c < bodies.Length; c++)
            {
                ids[c] = await platform.SubmitAsync(path, bodies[c], "chaos-distribution-" + c.ToString(CultureInfo.InvariantCulture), TimeSpan.FromSeconds(240));
            }
        });

        // The kills start once sending has begun, so they land among signing, sending and confirming rather than
        // all before the first command is planned.
        DateTime sendingDeadline = DateTime.UtcNow.AddSeconds(90);
        while (await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest) == firstNonce)
        {
            Assert.True(DateTime.UtcNow < sendingDeadline, "no transfer was sent within 90 s\n" + ChildPlatform.Tail(platform.App.History));
            await Task.Delay(100);
        }

        // A kill of the lease holder leaves the lane idle until the lease expires (≤ 15 s), and purely random kills
        // then mostly hit processes still waiting for it. So every third kill first waits until this run sends
        // (bounded), then strikes after a short random delay; the others strike at a random delay after the start
        // (startup, planning, lease wait or sending, whatever is under way).
        var random = new Random(seed);
        int killsWhileSending = 0;
        for (int kill = 1; kill <= s_kills; kill++)
        {
            bool afterSending = kill % 3 == 1;
            int delay = afterSending ? random.Next(200, 2000) : random.Next(500, 6000);
            ulong atStart = await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest);
            DateTime progressDeadline = DateTime.UtcNow.AddSeconds(30);
            while (afterSending && DateTime.UtcNow < progressDeadline && await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest) == atStart)
            {
                await Task.Delay(100);
            }

            await Task.Delay(delay);
            ulong atKill = await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest);
            await platform.App.KillAsync();
            killsWhileSending += atKill > atStart ? 1 : 0;
            output.WriteLine($"kill {kill} at {clock.Elapsed.TotalSeconds:F1} s, {delay} ms after {(afterSending ? "sending resumed" : "start")}: {atKill - firstNonce} of {s_transfers} sent (+{atKill - atStart} in this run)");
            await platform.App.StartAsync();
        }

        TimeSpan killed = clock.Elapsed;
        await submitting;
        foreach (string id in ids)
        {
            await platform.WaitCompletedAsync(id, TimeSpan.FromSeconds(240));
        }

        TimeSpan completed = clock.Elapsed;
        await faults.DisposeAsync();
        proxy.Clear();

        await LaneAudit.AssertLaneAsync(platform.Ledger, platform.Rpc, anvil, platform.Lane);
        await LaneAudit.AssertTransfersAsync(platform.Rpc, token, platform.Issuer, recipients.ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal(firstNonce + (ulong)s_transfers, await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest));
        Assert.Equal(s_kills + 1, platform.App.Starts);
        Assert.True(killsWhileSending >= 3, $"only {killsWhileSending} kills hit the process while it was sending");
        output.WriteLine($"seed {seed}: {s_kills} kills ({killsWhileSending} while transactions were being sent), {faults.Total} RPC faults armed " +
            $"({string.Join(", ", faults.Armed.Select(p => $"{p.Key} {p.Value}"))}); sendRawTransaction calls {proxy.Calls("eth_sendRawTransaction")}; " +
            $"setup {setup.TotalSeconds:F1} s, kills done at {killed.TotalSeconds:F1} s, all {bodies.Length} commands Completed at {completed.TotalSeconds:F1} s, audited at {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
