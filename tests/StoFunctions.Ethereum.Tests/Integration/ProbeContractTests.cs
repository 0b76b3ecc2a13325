using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Ethereum.Tests.Integration;

/// <summary>
/// The compiled test contract Probe (contracts/src/test/Probe.sol) deployed by our transactions: CREATE address,
/// calls, its Poked event, its TooLarge custom error and Error(string) reverts, and eth_getLogs over block ranges.
/// </summary>
public sealed class ProbeContractTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>, IDisposable
{
    private const ulong Limit = 100;
    private static readonly ContractArtifact s_artifact = ContractArtifact.Load("Probe");
    private static readonly ContractAbi s_abi = ContractAbi.FromJson(s_artifact.AbiJson);
    private readonly JsonRpcClient _client = new(anvil.RpcUrl);

    [Fact]
    public async Task Deploy_LandsAtThePredictedCreateAddress_AndConstructorArgumentIsStored()
    {
        var wallet = new DevWallet(_client, 4);
        ulong nonce = await wallet.NextNonceAsync();

        Address probe = await DeployAsync(wallet);

        Assert.Equal(ContractAddress.Create(wallet.Address, nonce), probe);
        // The runtime code is the artifact's, except that solc leaves the immutable 'limit' as zero words the
        // constructor fills in: every differing byte is the constructor argument (100 fits in the word's last byte).
        byte[] expected = Hex.Decode(s_artifact.DeployedBytecode);
        byte[] code = await _client.GetCodeAsync(probe);
        Assert.Equal(expected.Length, code.Length);
        int[] differing = Enumerable.Range(0, code.Length).Where(i => code[i] != expected[i]).ToArray();
        Assert.NotEmpty(differing);
        Assert.All(differing, i => Assert.Equal((0, (byte)Limit), (expected[i], code[i])));
        Assert.Equal((UInt256)Limit, await CallAsync<UInt256>(probe, "limit"));
        Assert.Equal(UInt256.Zero, await CallAsync<UInt256>(probe, "total"));
    }

    [Fact]
    public async Task Poke_EmitsPokedWhoseLogDecodesFromTheReceipt()
    {
        var wallet = new DevWallet(_client, 5);
        Address probe = await DeployAsync(wallet);
        AbiFunction poke = s_abi.GetFunction("poke");
        byte[] call = poke.EncodeCall((UInt256)7UL, "first poke");

        Assert.Equal((UInt256)7UL, poke.DecodeOutput(await _client.CallAsync(new CallRequest { From = wallet.Address, To = probe, Data = call }))[0]);
        TransactionReceipt receipt = await wallet.SendAndWaitAsync(await wallet.Eip1559Async(probe, call, UInt256.Zero));

        Assert.True(receipt.Succeeded);
        LogEntry log = Assert.Single(receipt.Logs);
        Assert.Equal(probe, log.Address);
        DecodedEvent poked = s_abi.DecodeLog(log.Topics, log.Data);
        Assert.Equal("Poked", poked.Event.Name);
        Assert.Equal(wallet.Address, poked["by"]);
        Assert.Equal((UInt256)7UL, poked["value"]);
        Assert.Equal("first poke", poked["note"]);
        Assert.Equal((UInt256)7UL, await CallAsync<UInt256>(probe, "total"));
    }

    [Fact]
    public async Task PokeAboveLimit_RevertsWithTooLarge_DecodedFromCallAndEstimateGas()
    {
        var wallet = new DevWallet(_client, 6);
        Address probe = await DeployAsync(wallet);
        byte[] call = s_abi.GetFunction("poke").EncodeCall((UInt256)1000UL, "too much");
        var request = new CallRequest { From = wallet.Address, To = probe, Data = call };

        JsonRpcException callError = await Assert.ThrowsAsync<JsonRpcException>(() => _client.CallAsync(request));
        JsonRpcException estimateError = await Assert.ThrowsAsync<JsonRpcException>(() => _client.EstimateGasAsync(request));

        foreach (JsonRpcException error in new[] { callError, estimateError })
        {
            Assert.True(error.TryGetRevertData(out byte[] data), error.Message);
            RevertReason reason = s_abi.DecodeRevert(data);
            Assert.Equal(RevertKind.Custom, reason.Kind);
            Assert.Equal("TooLarge", reason.Error!.Name);
            Assert.Equal([(UInt256)1000UL, (UInt256)Limit], reason.Arguments.Cast<UInt256>());
        }
    }

    [Fact]
    public async Task PokeAboveLimit_SentAnyway_IsMinedAsFailedReceipt()
    {
        var wallet = new DevWallet(_client, 7);
        Address probe = await DeployAsync(wallet);
        byte[] call = s_abi.GetFunction("poke").EncodeCall((UInt256)1000UL, "mined revert");

        TransactionReceipt receipt = await wallet.SendAndWaitAsync(await wallet.Eip1559Async(probe, call, UInt256.Zero, gas: 100_000));

        Assert.False(receipt.Succeeded);
        Assert.Empty(receipt.Logs);
    }

    [Fact]
    public async Task Fail_RevertsWithErrorString()
    {
        var wallet = new DevWallet(_client, 8);
        Address probe = await DeployAsync(wallet);
        byte[] call = s_abi.GetFunction("fail").EncodeCall("nope, because reasons");

        JsonRpcException error = await Assert.ThrowsAsync<JsonRpcException>(() => _client.CallAsync(new CallRequest { To = probe, Data = call }));

        Assert.Equal(3, error.Code);
        RevertReason reason = error.DecodeRevert(s_abi.Errors)!;
        Assert.Equal(RevertKind.Error, reason.Kind);
        Assert.Equal("nope, because reasons", reason.Message);
    }

    [Fact]
    public async Task GetLogs_OverBlockRanges_ReturnsExactlyTheLogsOfEachRangeAndTopicFilter()
    {
        var alice = new DevWallet(_client, 9);
        var bob = new DevWallet(_client, 0);
        Address probe = await DeployAsync(alice);
        AbiFunction poke = s_abi.GetFunction("poke");
        AbiEvent poked = s_abi.GetEvent("Poked");
        var blocks = new List<ulong>();
        for (int i = 1; i <= 6; i++)
        {
            DevWallet sender = i % 3 == 0 ? bob : alice;
            TransactionReceipt receipt = await sender.SendAndWaitAsync(await sender.Eip1559Async(probe, poke.EncodeCall((UInt256)(ulong)i, $"poke {i}"), UInt256.Zero));
            blocks.Add(receipt.BlockNumber);
            await anvil.Anvil.RpcAsync("evm_mine"); // an empty block between pokes, so ranges have gaps
        }

        var all = new LogFilter { FromBlock = blocks[0], ToBlock = blocks[^1], Addresses = [probe], Topics = LogFilter.ExactTopics(poked.EncodeTopicFilter()) };
        IReadOnlyList<LogEntry> logs = await _client.GetLogsAsync(all);
        Assert.Equal(blocks, logs.Select(l => l.BlockNumber!.Value));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (UInt256)(ulong)i), logs.Select(l => (UInt256)poked.DecodeLog(l.Topics, l.Data)["value"]));

        // Two halves of the range partition the logs; a range of empty blocks has none.
        IReadOnlyList<LogEntry> first = await _client.GetLogsAsync(all with { ToBlock = blocks[2] });
        IReadOnlyList<LogEntry> second = await _client.GetLogsAsync(all with { FromBlock = blocks[2] + 1 });
        Assert.Equal(3, first.Count);
        Assert.Equal(3, second.Count);
        Assert.Empty(await _client.GetLogsAsync(all with { FromBlock = blocks[0] + 1, ToBlock = blocks[0] + 1 }));

        // The indexed 'by' argument filters by sender.
        IReadOnlyList<LogEntry> bobs = await _client.GetLogsAsync(all with { Topics = LogFilter.ExactTopics(poked.EncodeTopicFilter(bob.Address)) });
        Assert.Equal([(UInt256)3UL, (UInt256)6UL], bobs.Select(l => (UInt256)poked.DecodeLog(l.Topics, l.Data)["value"]));

        // One block by hash (EIP-234).
        Hash32 blockHash = logs[4].BlockHash!.Value;
        LogEntry byHash = Assert.Single(await _client.GetLogsAsync(new LogFilter { BlockHash = blockHash, Addresses = [probe] }));
        Assert.Equal(logs[4].TransactionHash, byHash.TransactionHash);
    }

    public void Dispose() => _client.Dispose();

    private async Task<Address> DeployAsync(DevWallet wallet)
    {
        byte[] deployment = s_abi.Constructor!.EncodeDeployment(Hex.Decode(s_artifact.Bytecode), (UInt256)Limit);
        TransactionReceipt receipt = await wallet.SendAndWaitAsync(await wallet.Eip1559Async(null, deployment, UInt256.Zero));
        Assert.True(receipt.Succeeded);
        return receipt.ContractAddress ?? throw new InvalidOperationException("The deployment receipt has no contract address.");
    }

    private async Task<T> CallAsync<T>(Address contract, string function)
    {
        AbiFunction f = s_abi.GetFunction(function);
        return (T)f.DecodeOutput(await _client.CallAsync(new CallRequest { To = contract, Data = f.EncodeCall() }))[0];
    }
}
