using System.Numerics;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
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
}
