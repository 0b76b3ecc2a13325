using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.Tests.Scanning;

/// <summary>Dense blocks (TransferSpammer: hundreds of Transfer events per transaction) shrink the ranges.</summary>
public sealed class TokenScannerDenseRangeTests
{
    [Fact]
    public async Task Dense_blocks_are_scanned_in_shrunken_ranges_with_every_event_and_holder_stored_once()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        (Address token, AbiFunction spam) = await DeploySpammerAsync(chain);
        await chain.Anvil.RpcAsync("anvil_mine", "0x32");
        for (ulong seed = 0; seed < 12; seed++)
        {
            await chain.SendAsync(ScanChain.Account(0), token, spam.EncodeCall((UInt256)seed, (UInt256)400UL), "0xe4e1c0");
            await chain.Anvil.RpcAsync("anvil_mine", "0x13");
        }

        TokenScanner scanner = chain.Scanner(chain.Options(o =>
        {
            o.InitialRangeBlocks = 64;
            o.TargetEventsPerRange = 400;
            o.MaxConcurrentRanges = 2;
        }));

        ScanResult result = await scanner.ScanAsync(token);

        // 291 blocks in fixed 64-block ranges would be 5 ranges; the dense ranges shrink it (planning is deterministic: 8).
        Assert.Equal(4_800, result.Events);
        Assert.True(result.Ranges >= 7, $"only {result.Ranges} ranges: the sizer did not shrink on dense blocks");
        Assert.Equal(await chain.CanonicalEventsAsync(token), ScanChain.Describe(await scanner.Store.ReadEventsAsync(token)));
        Dictionary<Address, HolderBalance> holders = await scanner.Store.LoadHoldersAsync(token);
        Assert.Equal(4_800, holders.Count);
        Assert.All(holders.Values, h => Assert.Equal(1, (int)h.Balance));
    }

    [Fact]
    public async Task A_fresh_scan_shorter_than_its_first_range_is_read_in_as_many_parts_as_ranges_may_run_at_once()
    {
        await using ScanChain chain = await ScanChain.StartAsync();
        (Address token, AbiFunction spam) = await DeploySpammerAsync(chain);
        ulong deployed = await chain.Rpc.GetBlockNumberAsync();
        // 31 blocks of 100 events after the deployment's: 32 blocks, far fewer than the first range's 1,000.
        for (ulong seed = 0; seed < 31; seed++)
        {
            await chain.SendAsync(ScanChain.Account(0), token, spam.EncodeCall((UInt256)seed, (UInt256)100UL), "0x7a1200");
        }

        Assert.Equal(deployed + 31, await chain.Rpc.GetBlockNumberAsync());
        TokenScanner scanner = chain.Scanner(chain.Options(o => o.MaxConcurrentRanges = 4));

        ScanResult result = await scanner.ScanAsync(token, fromBlock: deployed);

        // Four ranges of 8 blocks read at once, where the sizer's 1,000 blocks would have been one read of everything.
        Assert.Equal(4, result.Ranges);
        Assert.Equal(3_100, result.Events);
        Assert.Equal(deployed + 31, result.LastBlock);
        Assert.Equal(await chain.CanonicalEventsAsync(token), ScanChain.Describe(await scanner.Store.ReadEventsAsync(token)));
        Dictionary<Address, HolderBalance> holders = await scanner.Store.LoadHoldersAsync(token);
        Assert.Equal(3_100, holders.Count);
        Assert.All(holders.Values, h => Assert.Equal(1, (int)h.Balance));
    }

    // TransferSpammer: spam(seed, n) emits n Transfer events, mints of 1 to addresses derived from the seed.
    private static async Task<(Address Token, AbiFunction Spam)> DeploySpammerAsync(ScanChain chain)
    {
        ContractArtifact artifact = ContractArtifact.Load("TransferSpammer");
        return (await chain.DeployAsync(Hex.Decode(artifact.Bytecode)), ContractAbi.FromJson(artifact.AbiJson).GetFunction("spam(uint256,uint256)"));
    }

    [Theory]
    [InlineData(1_000, 51UL, 4, 13UL)] // a short scan: an even share for each free slot
    [InlineData(1_000, 32UL, 4, 8UL)]
    [InlineData(1_000, 5UL, 4, 8UL)] // a handful of blocks (the timer's usual scan) is not cut into smaller shares
    [InlineData(1_000, 20UL, 4, 8UL)]
    [InlineData(1_000, 9UL, 1, 9UL)] // the last free slot takes all that is left
    [InlineData(5, 51UL, 4, 5UL)] // dense blocks: the sizer's smaller ranges win
    [InlineData(1_000, 1_000_000UL, 4, 1_000UL)] // a long scan: the sizer's ranges
    public void The_next_range_is_the_sizers_unless_an_even_share_of_the_blocks_left_is_smaller(int sizer, ulong left, int freeSlots, ulong expected) =>
        Assert.Equal(expected, TokenScanner.RangeBlocks(sizer, left, freeSlots));
}
