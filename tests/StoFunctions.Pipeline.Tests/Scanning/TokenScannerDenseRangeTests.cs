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
        ContractArtifact artifact = ContractArtifact.Load("TransferSpammer");
        AbiFunction spam = ContractAbi.FromJson(artifact.AbiJson).GetFunction("spam(uint256,uint256)");
        Address token = await chain.DeployAsync(Hex.Decode(artifact.Bytecode));
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
}
