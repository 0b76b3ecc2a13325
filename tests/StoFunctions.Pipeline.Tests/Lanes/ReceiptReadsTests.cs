using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// Which receipts a lane step asks the node for, on an anvil that mines on request: those of the rows it has just sent
/// (a dev chain mines on arrival) and of rows the chain's nonce has passed, not those of rows still waiting in the pool.
/// Asking for the whole window every step cost one call per open row per step: on a chain of 12 s blocks, with a step
/// a second, about twelve calls for each receipt there is.
/// </summary>
public sealed class ReceiptReadsTests(NoMiningFixture fixture) : IClassFixture<NoMiningFixture>
{
    [Fact]
    public async Task A_step_asks_for_the_receipts_of_rows_it_sent_and_rows_the_chain_passed_but_not_of_rows_in_the_pool()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 4).Select(i => $"receipt-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "receipt-reads"));
        await using RpcFaultProxy proxy = await RpcFaultProxy.StartAsync(fixture.Anvil.RpcUrl);
        using var viaProxy = new JsonRpcClient(proxy.Url);
        TransactionLane lane = rig.NewLane(rpc: viaProxy);

        await lane.StepAsync();
        Assert.Equal((4, 4), (proxy.Calls("eth_sendRawTransaction"), proxy.Calls("eth_getTransactionReceipt")));

        // Nothing mined since: the four wait in the pool above the chain's nonce, and nobody asks for their receipts.
        await lane.StepAsync();
        await lane.StepAsync();
        Assert.Equal(4, proxy.Calls("eth_getTransactionReceipt"));
        Assert.Equal(4, lane.OpenCount);

        // One block takes them; the next step asks for their four receipts and confirms them (K = 1).
        await fixture.Anvil.RpcAsync("evm_mine");
        await lane.StepAsync();
        Assert.Equal(8, proxy.Calls("eth_getTransactionReceipt"));
        Assert.Equal(0, lane.OpenCount);
        Assert.All(await rig.Ledger.GetTransactionsAsync(rig.Lane, 0), row => Assert.Equal(TransactionState.Confirmed, row.State));
        await rig.AssertInvariantsAsync(oracle, ids);
    }
}
