using System.Numerics;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.Tests.Scanning;

/// <summary>A random mix of transfers, mints, burns, forced transfers and recoveries on our SecurityToken.</summary>
public sealed class TokenScannerRandomMixTests
{
    private const int Operations = 2_000;
    private const int PerBlock = 20;

    [Fact]
    public async Task After_2000_random_operations_stored_balances_equal_balanceOf_and_past_cap_tables_equal_chain_state()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        Address admin = ScanChain.Account(0);
        Address token = await chain.DeploySecurityTokenAsync();
        ulong deployBlock = await chain.Rpc.GetBlockNumberAsync();
        await chain.Anvil.RpcAsync("evm_setAutomine", false);
        var random = new Random(8);
        var senders = Enumerable.Range(0, 10).Select(ScanChain.Account).ToList();
        var everyone = new HashSet<Address>(senders);
        var model = new Dictionary<Address, BigInteger>();
        BigInteger Bal(Address a) => model.GetValueOrDefault(a);
        Address AnyHolder() => model.Where(p => p.Value > 0).Select(p => p.Key).OrderBy(a => a).ElementAt(random.Next(model.Count(p => p.Value > 0)));
        Address Fresh()
        {
            byte[] bytes = new byte[20];
            random.NextBytes(bytes);
            Address a = Address.FromBytes(bytes);
            everyone.Add(a);
            return a;
        }

        long time = (long)(await chain.Rpc.GetBlockByNumberAsync(deployBlock))!.Timestamp + 12;
        TokenScanner scanner = chain.Scanner(chain.Options(o => o.InitialRangeBlocks = 7));
        var counts = new int[5];
        for (int i = 0; i < Operations; i++)
        {
            int kind = model.Count(p => p.Value > 0) == 0 ? 1 : random.Next(5);
            UInt256 amount;
            switch (kind)
            {
                case 0:
                {
                    Address from = senders.Where(s => Bal(s) > 0).DefaultIfEmpty(admin).ElementAt(0);
                    from = senders.Where(s => Bal(s) > 0).OrderBy(_ => random.Next()).FirstOrDefault(admin);
                    if (Bal(from) == 0)
                    {
                        goto case 1;
                    }

                    Address to = random.Next(3) == 0 ? Fresh() : senders[random.Next(senders.Count)];
                    BigInteger v = random.NextInt64(1, (long)BigInteger.Min(Bal(from), long.MaxValue - 1) + 1);
                    amount = (UInt256)v;
                    await chain.SendNoWaitAsync(from, token, SecurityTokenContract.Transfer(to, amount), "0x30d40");
                    model[from] = Bal(from) - v;
                    model[to] = Bal(to) + v;
                    break;
                }

                case 1:
                {
                    Address to = random.Next(4) == 0 ? Fresh() : senders[random.Next(senders.Count)];
                    BigInteger v = random.NextInt64(1, 1_000_000_000_000);
                    await chain.SendNoWaitAsync(admin, token, SecurityTokenContract.Mint(to, (UInt256)v), "0x30d40");
                    model[to] = Bal(to) + v;
                    kind = 1;
                    break;
                }

                case 2:
                {
                    Address from = AnyHolder();
                    BigInteger v = random.NextInt64(1, (long)BigInteger.Min(Bal(from), long.MaxValue - 1) + 1);
                    await chain.SendNoWaitAsync(admin, token, SecurityTokenContract.Burn(from, (UInt256)v), "0x30d40");
                    model[from] = Bal(from) - v;
                    break;
                }

                case 3:
                {
                    Address from = AnyHolder();
                    Address to = random.Next(3) == 0 ? Fresh() : senders[random.Next(senders.Count)];
                    BigInteger v = random.NextInt64(1, (long)BigInteger.Min(Bal(from), long.MaxValue - 1) + 1);
                    await chain.SendNoWaitAsync(admin, token, SecurityTokenContract.ForcedTransfer(from, to, (UInt256)v), "0x30d40");
                    model[from] = Bal(from) - v;
                    model[to] = Bal(to) + v;
                    break;
                }

                default:
                {
                    Address lost = AnyHolder();
                    Address fresh = Fresh();
                    await chain.SendNoWaitAsync(admin, token, SecurityTokenContract.RecoveryAddress(lost, fresh), "0x30d40");
                    model[fresh] = Bal(lost);
                    model[lost] = 0;
                    break;
                }
            }

            counts[kind]++;
            if (i % PerBlock == PerBlock - 1)
            {
                await chain.MineAsync(time += 12);
            }

            if (i % 500 == 499)
            {
                await scanner.ScanAsync(token);
            }
        }

        await chain.MineAsync(time += 12);
        ulong head = await chain.Rpc.GetBlockNumberAsync();
        await scanner.ScanAsync(token);
        Assert.All(counts, c => Assert.True(c > 100, $"operation counts {string.Join(",", counts)}"));

        // Every holder ever touched: stored balance = balanceOf (holders absent from the table must hold nothing).
        Dictionary<Address, HolderBalance> stored = await scanner.Store.LoadHoldersAsync(token);
        foreach (Address a in everyone)
        {
            Assert.Equal(await chain.BalanceOfAsync(token, a), stored.TryGetValue(a, out HolderBalance? h) ? h.Balance : BigInteger.Zero);
        }

        CapTableBuilder capTables = chain.CapTables(scanner);
        for (int k = 0; k < 5; k++)
        {
            ulong block = deployBlock + 1 + (ulong)random.NextInt64(0, (long)(head - deployBlock));
            BlockParameterCheck(block, head);
            CapTable byBlock = await capTables.BuildAsync(token, new CapTableQuery { AtBlock = block, MaxEntries = 100_000, IncludeEmpty = true });
            long blockTime = (long)(await chain.Rpc.GetBlockByNumberAsync(block))!.Timestamp;
            CapTable byTime = await capTables.BuildAsync(token, new CapTableQuery { AtTime = DateTimeOffset.FromUnixTimeSeconds(blockTime + 5), MaxEntries = 100_000, IncludeEmpty = true });
            Assert.Equal(block, byTime.AsOfBlock);
            Assert.Equal(byBlock.Holders, byTime.Holders);
            var listed = byBlock.Holders.ToDictionary(h => Address.Parse(h.Address), h => BigInteger.Parse(h.Raw));
            BigInteger sum = 0;
            foreach (Address a in everyone)
            {
                BigInteger onChain = await chain.BalanceOfAsync(token, a, block);
                Assert.Equal(onChain, listed.GetValueOrDefault(a));
                sum += onChain;
            }

            Assert.Equal(TokenUnits.Format(await chain.TotalSupplyAsync(token, block), 18), byBlock.TotalSupply);
            Assert.Equal(byBlock.TotalSupply, byBlock.AccountedSupply);
            Assert.Equal(TokenUnits.Format(sum, 18), byBlock.AccountedSupply);
        }
    }

    private static void BlockParameterCheck(ulong block, ulong head) => Assert.InRange(block, 1UL, head);
}
