using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>RPC and chain faults on an automining anvil: S7, S12, S13, S22 and deterministic rejection.</summary>
public sealed class ChainFaultTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task S7_AmbiguousBroadcast_ForwardedThen504_SameBytesResent_OneEffect()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        await using RpcFaultProxy proxy = await RpcFaultProxy.StartAsync(fixture.Anvil.RpcUrl);
        using var viaProxy = new JsonRpcClient(proxy.Url);
        string[] ids = ["s7-a", "s7-b", "s7-c"];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s7"));
        proxy.Add(new RpcFault("eth_sendRawTransaction", RpcFaultKind.ForwardThenGatewayTimeout));
        proxy.Add(new RpcFault("eth_sendRawTransaction", RpcFaultKind.ForwardThenGatewayTimeout));

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(rpc: viaProxy), s_timeout);

        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        Dictionary<ulong, List<LedgerAttempt>> attempts = await rig.Ledger.GetAttemptsAsync(rig.Lane, 0);
        Assert.All(attempts.Values, list => Assert.Single(list));
        HashSet<string> persisted = [.. attempts.Values.Select(l => Hex.Encode(l[0].Raw))];
        Assert.True(proxy.Calls("eth_sendRawTransaction") >= ids.Length);
        Assert.All(proxy.ForwardedRawTransactions, raw => Assert.Contains(raw, persisted));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task S12_ForeignTransactionTakesOurNonce_NonceConsumedExternally_NextCommandNotJammed()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string first = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["s12-a"], "s12-a"));
        ulong nonce = (await rig.Ledger.GetTransactionsAsync(rig.Lane, 0)).Single().Nonce;

        // Another wallet holding the same key sends a different transaction with our allocated nonce.
        await fixture.Anvil.SendTransactionAndWaitAsync(new { from = rig.Lane.Sender.ToString(), to = AnvilAccounts.Addresses[0], value = "0x1", nonce = "0x" + nonce.ToString("x", System.Globalization.CultureInfo.InvariantCulture) });
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        CommandStatus parked = await rig.StatusAsync(first);
        Assert.Equal(CommandRuntimeStatus.Failed, parked.RuntimeStatus);
        Assert.Equal("NonceConsumedExternally", Assert.Single(parked.Output!.Transactions).Status);
        Assert.StartsWith($"nonce {nonce}: nonce {nonce} was consumed by foreign transaction", parked.Error, StringComparison.Ordinal);

        string second = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["s12-b"], "s12-b"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(second)).RuntimeStatus);
        await rig.AssertInvariantsAsync(oracle, ["s12-b"]);
    }

    [Fact]
    public async Task S13_NonceWithoutLedgerRow_IsFilledWithNoOp_LaterNoncesConfirm()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 6).Select(i => $"s13-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s13"));
        LedgerTransaction burned = (await rig.Ledger.GetTransactionsAsync(rig.Lane, 0))[0];
        await rig.Ledger.Table.DeleteEntityAsync(rig.Lane.PartitionKey, burned.RowKey);

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        LedgerTransaction filler = (await rig.Ledger.GetTransactionsAsync(rig.Lane, burned.Nonce, burned.Nonce)).Single();
        Assert.True(filler.IsFiller);
        Assert.Equal(TransactionState.Confirmed, filler.State);
        Assert.Equal(rig.Lane.Sender, filler.To);
        await rig.AssertInvariantsAsync(oracle, ids[1..]);
    }

    [Fact]
    public async Task S22_InsufficientFunds_HoldsTheNonce_SameBytesSentAfterFunding()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = ["s22-a", "s22-b"];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s22"));
        string balance = (await fixture.Anvil.RpcAsync("eth_getBalance", rig.Lane.Sender.ToString(), "latest")).GetString()!;
        await fixture.Anvil.RpcAsync("anvil_setBalance", rig.Lane.Sender.ToString(), "0x1000");
        TransactionLane lane = rig.NewLane();
        for (int i = 0; i < 5; i++)
        {
            await lane.StepAsync();
            await Task.Delay(100);
        }

        CommandStatus held = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Running, held.RuntimeStatus);
        Assert.Equal(2, held.CustomStatus.Signed);

        await fixture.Anvil.RpcAsync("anvil_setBalance", rig.Lane.Sender.ToString(), balance);
        await PipelineRig.RunUntilQuiescentAsync(lane, s_timeout);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        Assert.All((await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values, list => Assert.Single(list));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task DeterministicRejection_IntrinsicGasTooLow_IntentRejected_NonceReusedByFiller()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string rejected = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["low-gas"], "low-gas", gas: 10_000));
        string fine = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["after"], "after"));

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        CommandStatus status = await rig.StatusAsync(rejected);
        Assert.Equal(CommandRuntimeStatus.Failed, status.RuntimeStatus);
        CommandTransaction tx = Assert.Single(status.Output!.Transactions);
        Assert.Equal("Rejected", tx.Status);
        Assert.Contains("intrinsic gas too low", tx.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(fine)).RuntimeStatus);
        await rig.AssertInvariantsAsync(oracle, ["after"]);
    }
}
