using System.Text.Json;
using Azure.Data.Tables;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Resilience;

/// <summary>
/// A command's orchestration survives a kill -9 of the local host: the instance lives in the task hub on
/// storage, so a restart (without submitting again) resumes it, and the command ends Completed with one
/// transaction per row.
/// </summary>
public sealed class OrchestrationKillTests(PrivateChain chain) : IClassFixture<PrivateChain>
{
    private const int Rows = 10;

    [Fact]
    public async Task HostKilledRightAfterAccepting_RestartAloneCompletesTheCommandsOrchestration_WithOneTransferPerRow()
    {
        await using ChildPlatform platform = await ChildPlatform.StartAsync(chain.Anvil, chain.Azurite, account: 1);
        Address token = await platform.IssueAsync("1000000", "orch-kill-issue");
        ulong nonceBefore = await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest);
        List<KeyValuePair<Address, UInt256>> recipients = ChildPlatform.Recipients(1, Rows);

        string id = await platform.SubmitAsync($"/api/tokens/{token}/distributions", ChildPlatform.DistributionJson("orch-kill", recipients), "orch-kill-distribution");
        await platform.App.KillAsync();
        await platform.App.StartAsync();

        JsonElement status = await platform.WaitCompletedAsync(id, TimeSpan.FromSeconds(240));
        Assert.Equal(Rows, status.GetProperty("customStatus").GetProperty("confirmed").GetInt32());
        // The ledger answers Completed first; the instance, resumed by the restarted host, ends Completed too.
        var instances = new TableClient(chain.Azurite.ConnectionString, "StoFunctionsInstances");
        DateTime deadline = DateTime.UtcNow.AddSeconds(240);
        string? runtime = null;
        while ((runtime = (await instances.GetEntityAsync<TableEntity>(id, "")).Value.GetString("RuntimeStatus")) != "Completed" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.True(runtime == "Completed", $"the orchestration of {id} is {runtime} 240 s after the restart");
        Assert.Equal(nonceBefore + Rows, await platform.Rpc.GetTransactionCountAsync(platform.Issuer, BlockParameter.Latest));
        await LaneAudit.AssertLaneAsync(platform.Ledger, platform.Rpc, chain.Anvil, platform.Lane);
        await LaneAudit.AssertTransfersAsync(platform.Rpc, token, platform.Issuer, recipients.ToDictionary(p => p.Key, p => p.Value));
    }
}
