using System.Numerics;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.Tests.Scanning;

/// <summary>Reorgs (anvil_reorg) and crashes mid-scan: the tables end equal to the canonical chain.</summary>
public sealed class TokenScannerReorgAndCrashTests
{
    [Fact]
    public async Task Reorgs_of_depth_1_to_5_between_scans_are_rolled_back_and_the_tables_match_the_canonical_chain()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        Address issuer = ScanChain.Account(0);
        Address token = await chain.DeployPlainTokenAsync(1_000_000);
        TokenScanner scanner = chain.Scanner();
        for (int depth = 1; depth <= 5; depth++)
        {
            for (int i = 0; i < 6; i++)
            {
                await chain.SendAsync(issuer, token, PlainTokenContract.Transfer(ScanChain.Account(1 + ((i + depth) % 5)), (UInt256)(ulong)(100 + i)));
            }

            await scanner.ScanAsync(token);
            List<string> beforeReorg = ScanChain.Describe(await scanner.Store.ReadEventsAsync(token));
            ulong head = await chain.Rpc.GetBlockNumberAsync();

            // The replacement chain carries a different transfer in its first block, so balances must change too.
            var replacement = new Dictionary<string, object?>
            {
                ["from"] = issuer.ToString(),
                ["to"] = token.ToString(),
                ["data"] = "0x" + Convert.ToHexStringLower(PlainTokenContract.Transfer(ScanChain.Account(7), (UInt256)(ulong)(7_000 + depth))),
            };
            await chain.Anvil.RpcAsync("anvil_reorg", depth, new object[] { new object[] { replacement, 0 } });
            Assert.Equal(head, await chain.Rpc.GetBlockNumberAsync());

            ScanResult result = await scanner.ScanAsync(token);

            Assert.Equal(head - (ulong)depth, result.RolledBackTo);
            Assert.NotEqual(beforeReorg, ScanChain.Describe(await scanner.Store.ReadEventsAsync(token)));
            await chain.AssertBalancesMatchChainAsync(token, scanner);
            Assert.Equal(await chain.BalanceOfAsync(token, ScanChain.Account(7)), (await scanner.Store.LoadHoldersAsync(token))[ScanChain.Account(7)].Balance);
        }
    }

    [Fact]
    public async Task A_scan_abandoned_mid_range_resumes_in_a_fresh_scanner_with_no_event_twice_and_none_missing()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        Address issuer = ScanChain.Account(0);
        Address token = await chain.DeployPlainTokenAsync(BigInteger.Pow(10, 30));
        await chain.Anvil.RpcAsync("evm_setAutomine", false);
        for (int i = 0; i < 600; i++)
        {
            await chain.SendNoWaitAsync(issuer, token, PlainTokenContract.Transfer(ScanChain.Account(1 + (i % 9)), (UInt256)(ulong)(i + 1)), "0x30d40");
            if (i % 3 == 2)
            {
                await chain.Anvil.RpcAsync("evm_mine");
            }
        }

        // Tiny ranges make the scan long enough to be interrupted many times at arbitrary points.
        ScannerOptions options = chain.Options(o =>
        {
            o.InitialRangeBlocks = 2;
            o.MaxRangeBlocks = 2;
        });
        int interrupted = 0;
        for (int attempt = 0; attempt < 6; attempt++)
        {
            using var crash = new CancellationTokenSource(TimeSpan.FromMilliseconds(150 + (attempt * 60)));
            try
            {
                await chain.Scanner(options).ScanAsync(token, cancellationToken: crash.Token);
                break;
            }
            catch (OperationCanceledException)
            {
                interrupted++;
            }
        }

        Assert.True(interrupted >= 2, $"only {interrupted} interruptions; the scan finished too fast to test resumption");
        TokenScanner fresh = chain.Scanner(options);
        await fresh.ScanAsync(token);
        List<TransferLog> events = await fresh.Store.ReadEventsAsync(token);
        Assert.Equal(601, events.Count);
        Assert.Equal(events.Count, events.Select(e => e.RowKey).Distinct().Count());
        await chain.AssertBalancesMatchChainAsync(token, fresh);
    }

    /// <summary>
    /// A crash (in-process, <see cref="FaultInjector.Throwing"/>) after each durable write of a scan — each batch of
    /// event, history and holder rows, each cursor write — and inside the rollback that follows one: on fresh tables
    /// each time, a fresh scanner then ends with every balance equal to <c>balanceOf</c> and every event once. The
    /// first range holds the deployment's mint and the issuer's next change, whose history row names the mint block
    /// as its previous balance: rolled back before its holder row was written, that balance was restored and the
    /// mint counted twice.
    /// </summary>
    [Fact]
    public async Task A_crash_after_any_write_of_a_range_or_of_its_rollback_leaves_tables_a_fresh_scanner_completes_exactly()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        Address issuer = ScanChain.Account(0);
        Address token = await chain.DeployPlainTokenAsync(BigInteger.Pow(10, 30));
        // 150 holders, 120 paid per block for 6 blocks: every range of 2 blocks has more than 100 events, history
        // rows and holder rows, so each kind of write takes several batches.
        Address[] holders = [.. Enumerable.Range(0, 150).Select(i => Address.FromBytes(Keccak256.Hash(BitConverter.GetBytes(i)).ToArray().AsSpan(12)))];
        await chain.Anvil.RpcAsync("evm_setAutomine", false);
        for (int block = 0; block < 6; block++)
        {
            for (int i = 0; i < 120; i++)
            {
                await chain.SendNoWaitAsync(issuer, token, PlainTokenContract.Transfer(holders[((block * 37) + i) % holders.Length], (UInt256)(ulong)((block * 1_000) + i + 1)), "0x30d40");
            }

            await chain.Anvil.RpcAsync("evm_mine");
        }

        await chain.Anvil.RpcAsync("evm_setAutomine", true);
        var expected = new Dictionary<Address, BigInteger> { [issuer] = await chain.BalanceOfAsync(token, issuer) };
        foreach (Address holder in holders)
        {
            expected[holder] = await chain.BalanceOfAsync(token, holder);
        }

        List<string> canonical = await chain.CanonicalEventsAsync(token);
        Assert.Equal(1 + (6 * 120), canonical.Count);

        var cases = new List<(string Point, int Hit, string? After)>();
        foreach (string point in new[] { ScanCrashPoint.AfterEventsBatch, ScanCrashPoint.AfterHistoryBatch, ScanCrashPoint.AfterHoldersBatch, ScanCrashPoint.AfterCursor })
        {
            foreach (int hit in new[] { 1, 2, 3, 4, 6 })
            {
                cases.Add((point, hit, null));
            }
        }

        // A rollback runs after a crash that left rows above the cursor (the 3rd holders batch is in the 2nd range).
        foreach (string point in new[] { ScanCrashPoint.RollbackAfterHolders, ScanCrashPoint.RollbackAfterHistoryBatch })
        {
            cases.Add((point, 1, ScanCrashPoint.AfterHoldersBatch));
            cases.Add((point, 2, ScanCrashPoint.AfterHoldersBatch));
        }

        int crashes = 0;
        for (int n = 0; n < cases.Count; n++)
        {
            (string point, int hit, string? after) = cases[n];
            ScannerOptions options = chain.Options(o =>
            {
                o.TablePrefix = $"{chain.Prefix}c{n}";
                o.InitialRangeBlocks = 2;
                o.MaxRangeBlocks = 2;
            });
            if (after is not null)
            {
                FaultInjector first = FaultInjector.Throwing();
                first.Arm(after, 3);
                await Assert.ThrowsAsync<SimulatedCrashException>(() => chain.Scanner(options, first).ScanAsync(token));
            }

            FaultInjector faults = FaultInjector.Throwing();
            faults.Arm(point, hit);
            try
            {
                await chain.Scanner(options, faults).ScanAsync(token);
            }
            catch (SimulatedCrashException)
            {
                crashes++;
            }

            TokenScanner fresh = chain.Scanner(options);
            await fresh.ScanAsync(token);
            Dictionary<Address, HolderBalance> stored = await fresh.Store.LoadHoldersAsync(token);
            string label = $"crash at {point} hit {hit}" + (after is null ? "" : $" after a crash at {after}");
            Assert.True(expected.Count == stored.Count, $"{label}: {stored.Count} holders stored, {expected.Count} on chain");
            foreach ((Address holder, BigInteger balance) in expected)
            {
                Assert.True(stored.TryGetValue(holder, out HolderBalance? row) && row.Balance == balance,
                    $"{label}: {holder} has {row?.Balance.ToString() ?? "no row"}, balanceOf says {balance}");
            }

            Assert.Equal(canonical, ScanChain.Describe(await fresh.Store.ReadEventsAsync(token)));
        }

        // Every case but a cursor hit beyond the scan's cursor writes must have crashed, or the test tests nothing.
        Assert.True(crashes >= cases.Count - 2, $"only {crashes} of {cases.Count} cases crashed");
    }

    /// <summary>
    /// Two scanners of one token interleaved: scanner B stops after its first holders batch (as a stalled instance or
    /// an abandoned scan whose task still runs); scanner A starts, rolls B's range back and crashes after rewriting
    /// part of it; then B goes on. B must not move the cursor past a range whose rows A deleted (that left events
    /// and holders missing for good): its writes are conditional on what it read, so it stops and starts again from
    /// the stored state. A fresh scanner then ends with the tables equal to the chain.
    /// </summary>
    [Fact]
    public async Task A_scanner_resuming_after_another_rolled_its_range_back_does_not_commit_it_and_no_event_or_balance_goes_missing()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        Address issuer = ScanChain.Account(0);
        Address token = await chain.DeployPlainTokenAsync(BigInteger.Pow(10, 30));
        Address[] holders = [.. Enumerable.Range(0, 150).Select(i => Address.FromBytes(Keccak256.Hash(BitConverter.GetBytes(1_000 + i)).ToArray().AsSpan(12)))];
        await chain.Anvil.RpcAsync("evm_setAutomine", false);
        // The first range pays holders 0–119, later blocks only 90–149: most first-range holders are never touched
        // again, so a holder row lost in the first range stays lost.
        for (int block = 0; block < 3; block++)
        {
            for (int i = 0; i < 120; i++)
            {
                Address to = block == 0 ? holders[i] : holders[90 + (i % 60)];
                await chain.SendNoWaitAsync(issuer, token, PlainTokenContract.Transfer(to, (UInt256)(ulong)((block * 1_000) + i + 1)), "0x30d40");
            }

            await chain.Anvil.RpcAsync("evm_mine");
        }

        await chain.Anvil.RpcAsync("evm_setAutomine", true);
        ScannerOptions options = chain.Options(o =>
        {
            o.InitialRangeBlocks = 2;
            o.MaxRangeBlocks = 2;
        });

        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var resume = new ManualResetEventSlim();
        var stall = new FaultInjector(_ =>
        {
            paused.TrySetResult();
            resume.Wait(TimeSpan.FromMinutes(2));
        });
        stall.Arm(ScanCrashPoint.AfterHoldersBatch);
        Task<ScanResult> b = Task.Run(() => chain.Scanner(options, stall).ScanAsync(token));
        await paused.Task.WaitAsync(TimeSpan.FromMinutes(2));

        FaultInjector crash = FaultInjector.Throwing();
        crash.Arm(ScanCrashPoint.AfterEventsBatch);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => chain.Scanner(options, crash).ScanAsync(token));
        resume.Set();
        try
        {
            await b;
        }
        catch (ScanException ex) when (ex.Kind == ScanErrorKind.Concurrent)
        {
            // Stopping is as good as starting again: nothing B had read was overwritten.
        }

        TokenScanner fresh = chain.Scanner(options);
        await fresh.ScanAsync(token);
        await chain.AssertBalancesMatchChainAsync(token, fresh);
        Assert.Equal(holders.Length + 1, (await fresh.Store.LoadHoldersAsync(token)).Count);
    }
}
