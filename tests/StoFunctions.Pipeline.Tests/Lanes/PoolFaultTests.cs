using System.Numerics;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>Mempool and reorg scenarios on an anvil that mines on request: S8, S9, S11, S15, S17, S21.</summary>
public sealed class PoolFaultTests(NoMiningFixture fixture) : IClassFixture<NoMiningFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(40);

    private AnvilProcess Anvil => fixture.Anvil;

    [Fact]
    public async Task S8_DroppedFromPool_SameBytesRebroadcastAfterResendAfter_NoNewNonce()
    {
        await using PipelineRig rig = await StartAsync(o => o with { ResendAfter = TimeSpan.FromSeconds(1) });
        Address oracle = await DeployAsync(rig);
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["s8"], "s8"));
        TransactionLane lane = rig.NewLane();
        await lane.StepAsync();
        LedgerAttempt sent = (await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values.Single().Single();
        await Anvil.RpcAsync("anvil_dropTransaction", sent.Hash.ToString());
        await Anvil.RpcAsync("anvil_mine", 2);

        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout, () => MineAsync(1));

        Assert.Equal(sent.Hash.ToString(), Assert.Single((await rig.StatusAsync(id)).Output!.Transactions).Hash);
        Assert.Single((await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values.Single());
        await rig.AssertInvariantsAsync(oracle, ["s8"]);
    }

    [Fact]
    public async Task S9_S11_BaseFeeSpike_BumpLadderObeysGethRuleThroughEnforcingProxy()
    {
        await using PipelineRig rig = await StartAsync(o => o with { BumpAfter = TimeSpan.FromMilliseconds(300), ResendAfter = TimeSpan.FromSeconds(1) });
        Address oracle = await DeployAsync(rig);
        await using RpcFaultProxy proxy = await RpcFaultProxy.StartAsync(Anvil.RpcUrl);
        proxy.ReplacementDecoder = DecodeForPool;
        using var viaProxy = new JsonRpcClient(proxy.Url);
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["s9"], "s9"));
        TransactionLane lane = rig.NewLane(rpc: viaProxy);

        // S11: the node refuses the first send as an underpriced replacement; the lane must bump, not fail.
        proxy.Add(new RpcFault("eth_sendRawTransaction", RpcFaultKind.NodeError, "replacement transaction underpriced"));
        await lane.StepAsync();
        await lane.StepAsync();
        LedgerAttempt first = (await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values.Single()[^1];

        // S9: the base fee jumps to 3× the attempt's max fee and stays high while blocks are mined.
        UInt256 spike = first.Fees.MaxFeePerGas * (UInt256)3UL;
        async Task SpikeAndMine()
        {
            await Anvil.RpcAsync("anvil_setNextBlockBaseFeePerGas", spike.ToHexQuantity());
            await MineAsync(1);
        }

        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout, SpikeAndMine);

        List<LedgerAttempt> attempts = (await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values.Single();
        Assert.InRange(attempts.Count, 3, 12);
        Assert.True(attempts[^1].Fees.MaxFeePerGas >= spike);
        Assert.Equal(attempts[^1].Hash.ToString(), Assert.Single((await rig.StatusAsync(id)).Output!.Transactions).Hash);
        await rig.AssertInvariantsAsync(oracle, ["s9"]);
    }

    [Theory]
    [InlineData("anvil_reorg")]
    [InlineData("anvil_rollback")]
    public async Task S15_S17_ReceiptLeavesCanonicalChainBeforeK_BackToBroadcast_SameBytesConfirmed(string method)
    {
        await using PipelineRig rig = await StartAsync(o => o with { Confirmations = 3, ResendAfter = TimeSpan.FromSeconds(1) });
        Address oracle = await DeployAsync(rig);
        string[] ids = ["reorg-a", "reorg-b"];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, method));
        TransactionLane lane = rig.NewLane();
        await lane.StepAsync();
        await MineAsync(1);
        await lane.StepAsync();
        Assert.Equal(2, (await rig.StatusAsync(id)).CustomStatus.Mined);
        Dictionary<ulong, List<LedgerAttempt>> before = await rig.Ledger.GetAttemptsAsync(rig.Lane, 0);

        if (method == "anvil_reorg")
        {
            await Anvil.RpcAsync(method, 1, Array.Empty<object>());
        }
        else
        {
            await Anvil.RpcAsync(method, 1);
        }

        await lane.StepAsync();
        Assert.Equal(2, (await rig.StatusAsync(id)).CustomStatus.Broadcast);
        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout, () => MineAsync(1));

        CommandStatus status = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        foreach (CommandTransaction tx in status.Output!.Transactions)
        {
            Assert.Equal(Assert.Single(before[tx.Nonce]).Hash.ToString(), tx.Hash);
        }

        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task S21_StaleNonceAndReceiptReads_NeverAllocateBelowLedger_NoDuplicateNonce()
    {
        await using PipelineRig rig = await StartAsync(o => o);
        Address oracle = await DeployAsync(rig);
        await using RpcFaultProxy proxy = await RpcFaultProxy.StartAsync(Anvil.RpcUrl);
        proxy.StaleBlocks = 2;
        using var viaProxy = new JsonRpcClient(proxy.Url);
        TransactionLane lane = rig.NewLane(rpc: viaProxy);
        var ids = new List<string>();
        for (int round = 0; round < 4; round++)
        {
            string[] batch = [$"s21-{round}-a", $"s21-{round}-b"];
            ids.AddRange(batch);
            await rig.NewCommandService(rpc: viaProxy).SubmitAsync(PipelineRig.ExecCommand(oracle, batch, $"s21-{round}"));
            await lane.StepAsync();
            await MineAsync(1);
        }

        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout, () => MineAsync(1));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    private async Task<PipelineRig> StartAsync(Func<LaneOptions, LaneOptions> configure) =>
        await PipelineRig.StartAsync(Anvil, fixture.NextAccount(), configure(LaneOptions.DevChain));

    private async Task<Address> DeployAsync(PipelineRig rig)
    {
        Task<Address> deploy = rig.DeployOracleAsync();
        return await deploy;
    }

    private Task MineAsync(int blocks) => Anvil.RpcAsync("anvil_mine", blocks);

    // Enough of an EIP-1559 envelope for the proxy's replacement rule: nonce and both fee fields. One sender
    // per test, so the sender key is constant.
    private static PoolTransaction DecodeForPool(string rawHex)
    {
        byte[] raw = Hex.Decode(rawHex);
        RlpItem fields = Rlp.Decode(raw.AsSpan(1));
        BigInteger Field(int i) => new(fields.Items[i].Bytes, isUnsigned: true, isBigEndian: true);
        return new PoolTransaction("lane", (ulong)Field(1), Field(3), Field(2), Keccak256.Hash(raw).ToString());
    }
}
