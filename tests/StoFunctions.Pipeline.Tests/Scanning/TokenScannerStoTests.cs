using System.Numerics;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.Tests.Scanning;

/// <summary>The sto scan acceptance tests (research/sto.md §5, test_token_scan.py) against anvil and Azurite.</summary>
public sealed class TokenScannerStoTests
{
    private static readonly BigInteger s_unit = BigInteger.Pow(10, 18);
    private static readonly Address s_mikko = Address.Parse("0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6");
    private static readonly Address s_whale = Address.Parse("0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2");

    [Fact]
    public async Task Simple_scan_after_issue_and_example_distribution_gives_the_sto_balances_and_rescan_is_identical()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        Address issuer = ScanChain.Account(0);
        await chain.Anvil.RpcAsync("anvil_mine", "0x5");
        Address token = await chain.DeployPlainTokenAsync(9999 * s_unit);
        ulong deployBlock = await chain.Rpc.GetBlockNumberAsync();
        ulong mikkoBlock = (await chain.SendAsync(issuer, token, PlainTokenContract.Transfer(s_mikko, (UInt256)(300 * s_unit)))).BlockNumber;
        ulong whaleBlock = (await chain.SendAsync(issuer, token, PlainTokenContract.Transfer(s_whale, (UInt256)(500 * s_unit)))).BlockNumber;

        TokenScanner scanner = chain.Scanner();
        ScanResult result = await scanner.ScanAsync(token);

        Assert.Equal(deployBlock, result.FromBlock);
        Assert.Equal(whaleBlock, result.LastBlock);
        Assert.Equal(3, result.Events);
        Dictionary<Address, HolderBalance> holders = await scanner.Store.LoadHoldersAsync(token);
        Assert.Equal(
            new Dictionary<Address, BigInteger> { [s_mikko] = 300 * s_unit, [issuer] = 9199 * s_unit, [s_whale] = 500 * s_unit },
            holders.ToDictionary(h => h.Key, h => h.Value.Balance));
        Assert.Equal(mikkoBlock, holders[s_mikko].LastBlock);
        Assert.Equal(whaleBlock, holders[s_whale].LastBlock);
        Assert.True(holders[s_whale].LastTime > DateTimeOffset.UnixEpoch);
        Assert.Equal((deployBlock, mikkoBlock, whaleBlock), (holders[issuer].FirstBlock, holders[s_mikko].FirstBlock, holders[s_whale].FirstBlock));

        // First appearances have no history row: after the deploy block only the issuer's two debits are history.
        Dictionary<Address, BalanceChange> changes = await scanner.Store.FirstChangesAfterAsync(token, deployBlock);
        Assert.Equal([issuer], changes.Keys);
        Assert.Equal((mikkoBlock, 9999 * s_unit, 9699 * s_unit, deployBlock), (changes[issuer].Block, changes[issuer].Previous, changes[issuer].Balance, changes[issuer].PreviousBlock));
        ScanCursor cursor = (await scanner.Store.GetCursorAsync(token))!;
        Assert.Equal((deployBlock, whaleBlock, "Moo Corp", "MOO", 18), (cursor.StartBlock, cursor.LastBlock, cursor.Name, cursor.Symbol, cursor.Decimals));

        List<TransferLog> before = await scanner.Store.ReadEventsAsync(token);
        ScanResult again = await scanner.ScanAsync(token, fromBlock: 1, toBlock: whaleBlock);
        Assert.Equal(deployBlock - 1, again.RolledBackTo);
        Assert.Equal(before, await scanner.Store.ReadEventsAsync(token));
        Assert.Equal(holders.Values.OrderBy(h => h.Holder), (await scanner.Store.LoadHoldersAsync(token)).Values.OrderBy(h => h.Holder));

        CapTable table = await chain.CapTables(scanner).BuildAsync(token, new CapTableQuery());
        Assert.Equal(3, table.HolderCount);
        Assert.Equal("9999", table.TotalSupply);
        Assert.Equal("9999", table.AccountedSupply);
        Assert.Equal([issuer.ToString(), s_whale.ToString(), s_mikko.ToString()], table.Holders.Select(h => h.Address));
        Assert.Equal(["9199.00", "500.00", "300.00"], table.Holders.Select(h => h.Balance));
        Assert.Equal(["92.00", "5.00", "3.00"], table.Holders.Select(h => h.Percent));
    }

    [Fact]
    public async Task Incremental_scans_give_the_exact_sto_balances_and_full_or_middle_rescans_are_identical()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        Address issuer = ScanChain.Account(0), acct1 = ScanChain.Account(1), acct2 = ScanChain.Account(2), acct3 = ScanChain.Account(3);
        Address token = await chain.DeployPlainTokenAsync(9999 * s_unit);
        TokenScanner scanner = chain.Scanner();
        await scanner.ScanAsync(token);

        async Task<Dictionary<Address, BigInteger>> StepAsync(Address from, Address to, int amount, params Address[] report)
        {
            await chain.SendAsync(from, token, PlainTokenContract.Transfer(to, (UInt256)(amount * s_unit)));
            await scanner.ScanAsync(token);
            Dictionary<Address, HolderBalance> all = await scanner.Store.LoadHoldersAsync(token);
            return report.ToDictionary(a => a, a => all[a].Balance);
        }

        Assert.Equal(new Dictionary<Address, BigInteger> { [issuer] = 9898 * s_unit, [acct1] = 101 * s_unit }, await StepAsync(issuer, acct1, 101, issuer, acct1));
        ulong middle = await chain.Rpc.GetBlockNumberAsync();
        Assert.Equal(new Dictionary<Address, BigInteger> { [issuer] = 9565 * s_unit, [acct2] = 333 * s_unit }, await StepAsync(issuer, acct2, 333, issuer, acct2));
        Assert.Equal(new Dictionary<Address, BigInteger> { [acct1] = 50 * s_unit, [acct3] = 51 * s_unit }, await StepAsync(acct1, acct3, 51, acct1, acct3));
        Assert.Equal(new Dictionary<Address, BigInteger> { [acct1] = 0, [acct3] = 101 * s_unit }, await StepAsync(acct1, acct3, 50, acct1, acct3));

        CapTableBuilder capTables = chain.CapTables(scanner);
        Assert.Equal(3, (await capTables.BuildAsync(token, new CapTableQuery())).HolderCount);
        Assert.Equal(4, (await capTables.BuildAsync(token, new CapTableQuery { IncludeEmpty = true })).HolderCount);

        var expected = new Dictionary<Address, BigInteger> { [issuer] = 9565 * s_unit, [acct1] = 0, [acct2] = 333 * s_unit, [acct3] = 101 * s_unit };
        List<TransferLog> events = await scanner.Store.ReadEventsAsync(token);
        foreach (ulong from in new[] { 1UL, middle })
        {
            ScanResult rescan = await scanner.ScanAsync(token, fromBlock: from);
            Assert.NotNull(rescan.RolledBackTo);
            Assert.Equal(expected, (await scanner.Store.LoadHoldersAsync(token)).ToDictionary(h => h.Key, h => h.Value.Balance));
            Assert.Equal(events, await scanner.Store.ReadEventsAsync(token));
        }
    }

    [Fact]
    public async Task First_scan_without_a_recorded_deployment_block_starts_at_the_first_Transfer_log_found_with_getLogs()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        await chain.Anvil.RpcAsync("anvil_mine", "0x3e8");
        Address token = await chain.DeployPlainTokenAsync(1000);
        ulong deployed = await chain.Rpc.GetBlockNumberAsync();
        await chain.Anvil.RpcAsync("anvil_mine", "0x64");
        ulong head = await chain.Rpc.GetBlockNumberAsync();

        // PlainToken mints in its constructor, so its first Transfer is in the deployment block.
        Assert.Equal(deployed, await chain.Scanner().FindStartBlockAsync(token, head));
        TokenScanner scanner = chain.Scanner();
        await scanner.ScanAsync(token);
        Assert.Equal(deployed, (await scanner.Store.GetCursorAsync(token))!.StartBlock);
        await chain.AssertBalancesMatchChainAsync(token, scanner);

        // A contract without any Transfer yet (one STOP byte of code) starts after the head; no code is refused.
        Address silent = await chain.DeployAsync(Convert.FromHexString("6001600c60003960016000f300"));
        await chain.Anvil.RpcAsync("anvil_mine", "0x5");
        head = await chain.Rpc.GetBlockNumberAsync();
        Assert.Equal(head + 1, await chain.Scanner().FindStartBlockAsync(silent, head));
        await Assert.ThrowsAsync<ScanException>(() => chain.Scanner().FindStartBlockAsync(ScanChain.Account(5), head));
    }
}
