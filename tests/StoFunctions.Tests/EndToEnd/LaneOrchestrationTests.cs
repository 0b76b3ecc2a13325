using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Tests.Runtime;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// The issuer's lane runs as the singleton orchestration <see cref="LaneOrchestrator"/> (instance
/// <c>lane-{chainId}-{sender}</c>) on the local host's real Durable backend; the <see cref="LaneKeeper"/> timer
/// starts it again when it was ended (that nothing else sends: <see cref="LaneWithoutKeeperTests"/>). Its own app,
/// because it terminates the lane.
/// </summary>
public sealed class LaneOrchestrationTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string Holder = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";

    private DurableTaskClient Durable => app.Services.GetRequiredService<DurableTaskClient>();

    private string LaneInstance => LaneInstances.IdOf(app.Platform.Lane);

    [Fact]
    public async Task TerminatedLaneOrchestration_IsStartedAgainByTheKeeper_AndTransfersComplete()
    {
        Address token = await app.IssueAsync("1000");
        OrchestrationMetadata before = (await Durable.GetInstanceAsync(LaneInstance))!;
        Assert.False(before.IsCompleted);

        await Durable.TerminateInstanceAsync(LaneInstance);
        // On a loaded machine the keeper can replace the terminated instance before a poll sees it Terminated.
        await TriggerTestHost.EventuallyAsync(async () => await Durable.GetInstanceAsync(LaneInstance) is { } now && (now.RuntimeStatus == OrchestrationRuntimeStatus.Terminated || now.CreatedAt > before.CreatedAt), TimeSpan.FromSeconds(60), "the lane instance to be terminated");
        // The LaneKeeper timer (every 10 s) replaces the ended instance with a new one.
        await TriggerTestHost.EventuallyAsync(async () => await Durable.GetInstanceAsync(LaneInstance) is { IsCompleted: false } again && again.CreatedAt > before.CreatedAt, TimeSpan.FromSeconds(120), "the keeper to start the lane again");

        string id = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "L-2", to = Holder, amount = "6" }, idempotencyKey: "lane-terminated-1");
        System.Text.Json.JsonElement status = await app.WaitCompletedAsync(id, timeoutSeconds: 120);
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
    }
}
