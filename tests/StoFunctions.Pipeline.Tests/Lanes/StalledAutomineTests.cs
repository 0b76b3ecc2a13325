using System.Net;
using System.Text;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// anvil's automine can leave ready transactions in its pool until another transaction arrives; a lane with a full
/// window sends none and waited forever. Modelled on a node that mines only on request but reports automine on.
/// </summary>
public sealed class StalledAutomineTests(NoMiningFixture fixture) : IClassFixture<NoMiningFixture>
{
    [Fact]
    public async Task AcceptedTransactionsLeftUnminedWithAutomineOn_TheLaneAsksForABlock_EveryRowConfirmsOnce()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount(), LaneOptions.DevChain with { MineWhenStalledAfter = TimeSpan.FromSeconds(1) });
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 5).Select(i => $"stalled-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "stalled"));

        var logger = new CountingLogger();
        using var rpc = new JsonRpcClient(new HttpClient(new AutomineReportedOn { InnerHandler = new HttpClientHandler() }), fixture.Anvil.RpcUrl);
        var lane = new TransactionLane(rig.Lane, rig.Ledger, rpc, rig.Signer, rig.Options, FaultInjector.None, logger);
        await PipelineRig.RunUntilQuiescentAsync(lane, TimeSpan.FromSeconds(120));

        Assert.True(logger.CountOf(157) >= 1, "the lane never asked for a block");
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task AutomineOff_TheLaneLeavesMiningToWhoeverTurnedItOff()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount(), LaneOptions.DevChain with { MineWhenStalledAfter = TimeSpan.FromMilliseconds(200) });
        Address oracle = await rig.DeployOracleAsync();
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["off-0", "off-1"], "automine-off"));
        ulong head = await rig.Rpc.GetBlockNumberAsync();

        var logger = new CountingLogger();
        var lane = new TransactionLane(rig.Lane, rig.Ledger, rig.Rpc, rig.Signer, rig.Options, FaultInjector.None, logger);
        DateTime until = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < until)
        {
            await lane.StepAsync();
            await Task.Delay(50);
        }

        Assert.Equal(0, logger.CountOf(157));
        Assert.Equal(head, await rig.Rpc.GetBlockNumberAsync());
        Assert.Equal(2, lane.OpenCount);
        await fixture.Anvil.RpcAsync("evm_mine");
        await PipelineRig.RunUntilQuiescentAsync(lane, TimeSpan.FromSeconds(60));
    }

    /// <summary>Answers <c>anvil_getAutomine</c> with true; every other request goes to the node.</summary>
    private sealed class AutomineReportedOn : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.GetProperty("method").GetString() == "anvil_getAutomine")
            {
                string id = doc.RootElement.GetProperty("id").GetRawText();
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":true}}", Encoding.UTF8, "application/json") };
            }

            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
