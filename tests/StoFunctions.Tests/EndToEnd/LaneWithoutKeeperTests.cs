using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Tests.Runtime;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Only the lane orchestration sends: with its instance terminated and the <see cref="LaneKeeper"/> timer off (this
/// app's schedule is once a year), a planned transfer stays unsent; one keeper round starts the instance and the
/// transfer completes.
/// </summary>
public sealed class LaneWithoutKeeperTests : IAsyncLifetime
{
    private const string Holder = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private PlatformApp? _app;

    private PlatformApp App => _app!;

    public async Task InitializeAsync() =>
        _app = await PlatformApp.StartAsync(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:stoFunctions:timers:LaneKeeper:schedule"] = "0 0 0 1 1 *",
            ["AzureFunctionsJobHost:stoFunctions:timers:LaneKeeper:runOnStartup"] = "false",
        });

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task TerminatedLaneOrchestration_LeavesATransferUnsent_UntilTheKeeperStartsItAgain()
    {
        DurableTaskClient durable = App.Services.GetRequiredService<DurableTaskClient>();
        LaneRunner runner = App.Services.GetRequiredService<LaneRunner>();
        string lane = LaneInstances.IdOf(App.Platform.Lane);
        // The first submission starts the lane's instance (the keeper is off).
        Address token = await App.IssueAsync("1000");
        Assert.Equal(LaneOrchestrator.Name, (await durable.GetInstanceAsync(lane))!.Name);

        await durable.TerminateInstanceAsync(lane);
        await TriggerTestHost.EventuallyAsync(async () => (await durable.GetInstanceAsync(lane))!.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, TimeSpan.FromSeconds(60), "the lane instance to end");
        await TriggerTestHost.EventuallyAsync(() => !runner.SliceRunning, TimeSpan.FromSeconds(60), "the last slice to end");
        ulong nonce = await App.IssuerNonceAsync();

        string id = await App.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "K-1", to = Holder, amount = "5" }, idempotencyKey: "lane-keeperless-1");
        // Longer than a slice's idle exit and the idle wait: a background loop, or a slice started by the submission's
        // wake, would have run by then.
        for (int i = 0; i < 24; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(runner.SliceRunning, "a lane slice ran while the lane orchestration was terminated");
        }

        Assert.Equal(nonce, await App.IssuerNonceAsync());

        await ActivatorUtilities.CreateInstance<LaneKeeper>(App.Services).RunAsync(new TimerInfo(), durable, CancellationToken.None);
        await App.WaitCompletedAsync(id, timeoutSeconds: 120);
        Assert.Equal(nonce + 1, await App.IssuerNonceAsync());
        Assert.False((await durable.GetInstanceAsync(lane))!.IsCompleted);
    }
}
