using System.Diagnostics;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Tests.Resilience;

/// <summary>
/// Scenarios S3–S5 of research/txpipeline.md §8, plus crashes between signing and persisting and during
/// confirmation, with the app as a real child process:
/// <c>FAULT_CRASH_AT</c> makes it die by <c>Environment.FailFast</c> at the named point while it runs a
/// 10-row distribution submitted over HTTP; it is restarted without the fault, the same submission is
/// repeated, and the chain and the ledger must show exactly one transfer per external id, contiguous nonces,
/// the identical signed bytes where they were persisted before the crash, and the command Completed.
/// </summary>
public sealed class CrashPointTests(PrivateChain chain, ITestOutputHelper output) : IClassFixture<PrivateChain>
{
    private const int Rows = 10;

    [Theory]
    [InlineData(CrashPoint.AfterNonceAllocation, 1)]
    [InlineData(CrashPoint.AfterSignBeforePersist, 2)]
    [InlineData(CrashPoint.AfterPersistBeforeBroadcast, 3)]
    [InlineData(CrashPoint.AfterBroadcastBeforeStatus, 4)]
    [InlineData(CrashPoint.DuringConfirm, 5)]
    public async Task ProcessDiesAtCrashPoint_RestartCompletesTheDistribution_WithOneTransferPerExternalIdAndContiguousNonces(string point, int account)
    {
        var clock = Stopwatch.StartNew();
        await using ChildPlatform platform = await ChildPlatform.StartAsync(chain.Anvil, chain.Azurite, account);
        Address token = await platform.IssueAsync("1000000", "issue-" + point);
        TimeSpan issued = clock.Elapsed;

        // Arm the point for a fresh process, so its first visit belongs to the distribution. A graceful stop
        // releases the lane's lease, so the armed process does not wait for it to expire.
        await platform.App.StopAsync();
        platform.App.Settings["FAULT_CRASH_AT"] = point;
        await platform.App.StartAsync();
        ulong nonceBefore = await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest);
        List<KeyValuePair<Address, UInt256>> recipients = ChildPlatform.Recipients(account, Rows);
        string body = ChildPlatform.DistributionJson("crash-" + point, recipients);
        string key = "distribution-" + point;
        string? firstId = null;
        try
        {
            firstId = await platform.SubmitAsync($"/api/tokens/{token}/distributions", body, key, TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            // after_nonce_alloc fires inside the request: the connection dies with the process.
        }

        int exitCode = await platform.App.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"FAULT_CRASH_AT fired at {point}", platform.App.Output, StringComparison.Ordinal);
        List<LedgerTransaction> atCrash = await platform.Ledger.GetTransactionsAsync(platform.Lane, nonceBefore);
        Dictionary<ulong, List<LedgerAttempt>> attemptsAtCrash = await platform.Ledger.GetAttemptsAsync(platform.Lane, nonceBefore);
        AssertStateAtCrash(point, atCrash, attemptsAtCrash, nonceBefore, await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest));

        platform.App.Settings["FAULT_CRASH_AT"] = null;
        await platform.App.StartAsync();
        string id = await platform.SubmitAsync($"/api/tokens/{token}/distributions", body, key);
        if (firstId is not null)
        {
            Assert.Equal(firstId, id);
        }

        var status = await platform.WaitCompletedAsync(id);
        Assert.Equal(Rows, status.GetProperty("customStatus").GetProperty("confirmed").GetInt32());
        List<LedgerTransaction> rows = await LaneAudit.AssertLaneAsync(platform.Ledger, platform.Rpc, chain.Anvil, platform.Lane);
        await LaneAudit.AssertTransfersAsync(platform.Rpc, token, platform.Issuer, recipients.ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal(nonceBefore + Rows, await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest));

        // A business key kept the nonce it got before the crash, and bytes persisted before the crash are the
        // bytes that were mined (Key Vault would never sign them identically again: invariant 3).
        foreach (LedgerTransaction before in atCrash)
        {
            LedgerTransaction after = rows.Single(r => r.Nonce == before.Nonce);
            Assert.Equal(before.BusinessKey, after.BusinessKey);
            if (attemptsAtCrash.TryGetValue(before.Nonce, out List<LedgerAttempt>? persisted) && persisted.Count > 0)
            {
                Assert.Equal(persisted[0].Hash, after.MinedHash);
            }
        }

        output.WriteLine($"{point}: issued after {issued.TotalSeconds:F1} s, crashed with exit code {exitCode}, {atCrash.Count} rows at the crash, completed after {clock.Elapsed.TotalSeconds:F1} s in total");
    }

    [Fact]
    public async Task ProcessDiesAfterSigningAFeeBump_RestartDeploysOnce_WithAValidFeeLadder()
    {
        // Blocks only when the test mines, so a base-fee spike can hold the deployment in the pool until the lane bumps it.
        await using AnvilProcess anvil = await AnvilProcess.StartAsync(extraArguments: ["--no-mining"]);
        await using ChildPlatform platform = await ChildPlatform.StartAsync(anvil, chain.Azurite, 6, configure: o => o.Settings["FAULT_CRASH_AT"] = CrashPoint.DuringBumpAfterSign);
        string id = await platform.SubmitAsync("/api/kyc-registries", "{}", "bump-registry");
        LedgerAttempt sent = await WaitSentAsync(platform);

        // The next block's base fee exceeds the attempt's fee cap: it stays in the pool and is underpriced.
        UInt256 spike = sent.Fees.MaxFeePerGas + (sent.Fees.MaxFeePerGas / (UInt256)10UL) + UInt256.One;
        await anvil.RpcAsync("anvil_setNextBlockBaseFeePerGas", "0x" + ((ulong)spike).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        await anvil.RpcAsync("evm_mine");
        int exitCode = await platform.App.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"FAULT_CRASH_AT fired at {CrashPoint.DuringBumpAfterSign}", platform.App.Output, StringComparison.Ordinal);
        Assert.Equal([1], (await platform.Ledger.GetAttemptsAsync(platform.Lane, 0)).Values.Select(a => a.Count));
        Assert.Equal(0UL, await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest));

        platform.App.Settings["FAULT_CRASH_AT"] = null;
        await platform.App.StartAsync();
        using var mining = new CancellationTokenSource();
        Task miner = MineAsync(platform, spike, mining.Token);
        System.Text.Json.JsonElement status;
        try
        {
            status = await platform.WaitCompletedAsync(id);
        }
        finally
        {
            await mining.CancelAsync();
            await miner;
        }

        await LaneAudit.AssertLaneAsync(platform.Ledger, platform.Rpc, anvil, platform.Lane);
        Assert.Equal(1UL, await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest));
        Address registry = Address.Parse(status.GetProperty("output").GetProperty("registryAddress").GetString()!);
        Assert.NotEmpty(await platform.Rpc.GetCodeAsync(registry, BlockParameter.Latest));
        // The restarted lane bumped from the stored attempt (the audit checked +10 % on both fields) and the
        // replacement, not the underpriced original, was mined.
        List<LedgerAttempt> attempts = (await platform.Ledger.GetAttemptsAsync(platform.Lane, 0))[0];
        Hash32? mined = (await platform.Ledger.GetTransactionsAsync(platform.Lane, 0))[0].MinedHash;
        Assert.Equal(sent.Hash, attempts[0].Hash);
        Assert.True(attempts.Count >= 2, "the restarted lane never bumped the underpriced deployment");
        Assert.Contains(mined!.Value, attempts.Skip(1).Select(a => a.Hash));
        output.WriteLine($"{CrashPoint.DuringBumpAfterSign}: crashed with exit code {exitCode}; {attempts.Count} attempts in the end, mined attempt {attempts.FindIndex(a => a.Hash == mined) + 1}");
    }

    private static async Task<LedgerAttempt> WaitSentAsync(ChildPlatform platform)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            List<LedgerTransaction> rows = await platform.Ledger.GetTransactionsAsync(platform.Lane, 0);
            if (rows.Count == 1 && rows[0].State == TransactionState.Broadcast)
            {
                return (await platform.Ledger.GetAttemptsAsync(platform.Lane, 0))[0].Single();
            }

            Assert.True(DateTime.UtcNow < deadline, "the deployment was not broadcast within 60 s\n" + ChildPlatform.Tail(platform.App.History));
            await Task.Delay(100);
        }
    }

    // Mines every 250 ms; while the lane has not bumped yet, each block keeps the spiked base fee so the original
    // attempt stays underpriced.
    // The bump's attempt row is written before it is broadcast. Lowering the base fee as soon as the row exists let
    // anvil mine the underpriced original during that gap on a loaded machine; only once the node holds the
    // replacement (it replaced the original in the pool) can the spike end without choosing the outcome.
    private static async Task<bool> BumpReachedTheNodeAsync(ChildPlatform platform)
    {
        List<LedgerAttempt> attempts = (await platform.Ledger.GetAttemptsAsync(platform.Lane, 0)).Values.SingleOrDefault() ?? [];
        return attempts.Count >= 2
            && (await platform.Anvil.RpcAsync("eth_getTransactionByHash", attempts[^1].Hash.ToString())).ValueKind != System.Text.Json.JsonValueKind.Null;
    }

    private static async Task MineAsync(ChildPlatform platform, UInt256 spike, CancellationToken cancellationToken)
    {
        bool bumped = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            bumped = bumped || await BumpReachedTheNodeAsync(platform);
            if (!bumped)
            {
                await platform.Anvil.RpcAsync("anvil_setNextBlockBaseFeePerGas", "0x" + ((ulong)spike).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            }

            await platform.Anvil.RpcAsync("evm_mine");
            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void AssertStateAtCrash(string point, List<LedgerTransaction> rows, Dictionary<ulong, List<LedgerAttempt>> attempts, ulong nonceBefore, ulong chainNonce)
    {
        switch (point)
        {
            case CrashPoint.AfterNonceAllocation:
                // Nonces and rows are durable, nothing signed or sent.
                Assert.Equal(Rows, rows.Count);
                Assert.All(rows, r => Assert.Equal(TransactionState.Planned, r.State));
                Assert.Empty(attempts);
                Assert.Equal(nonceBefore, chainNonce);
                break;
            case CrashPoint.AfterSignBeforePersist:
                // The signatures died with the process: nothing persisted, nothing sent.
                Assert.All(rows, r => Assert.Equal(TransactionState.Planned, r.State));
                Assert.Empty(attempts);
                Assert.Equal(nonceBefore, chainNonce);
                break;
            case CrashPoint.AfterPersistBeforeBroadcast:
                // Signed bytes are durable and were never sent.
                Assert.Contains(rows, r => r.State == TransactionState.Signed);
                Assert.NotEmpty(attempts);
                Assert.Equal(nonceBefore, chainNonce);
                break;
            case CrashPoint.AfterBroadcastBeforeStatus:
                // The node took at least one transaction the ledger still calls Signed.
                Assert.True(chainNonce > nonceBefore, "nothing reached the chain before the crash");
                Assert.Contains(rows, r => r.State == TransactionState.Signed && r.Nonce < chainNonce);
                break;
            case CrashPoint.DuringConfirm:
                // Receipts exist on chain that the ledger has not recorded.
                Assert.True(chainNonce > nonceBefore, "nothing reached the chain before the crash");
                Assert.Contains(rows, r => r.Nonce < chainNonce && r.State is not (TransactionState.Mined or TransactionState.Confirmed));
                break;
        }
    }
}
