using Microsoft.Extensions.Logging.Abstractions;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>S2 (concurrent producers), S25 (two lane runners, one lease) and S26 (lane slices of two runners).</summary>
public sealed class ConcurrencyTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task S2_SixteenProducersOnTwoServices_ContiguousNonces_NoDuplicateBusinessKey()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        CommandService[] services = [rig.NewCommandService(), rig.NewCommandService()];

        // 16 producers × 4 commands × 5 intents; every second command repeats an earlier key (a client retry).
        var ids = new List<string>();
        for (int p = 0; p < 16; p++)
        {
            for (int c = 0; c < 4; c++)
            {
                ids.AddRange(Enumerable.Range(0, 5).Select(i => $"s2-{p}-{c}-{i}"));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
        {
            CommandService service = services[p % 2];
            for (int c = 0; c < 4; c++)
            {
                var request = PipelineRig.ExecCommand(oracle, Enumerable.Range(0, 5).Select(i => $"s2-{p}-{c}-{i}"), $"s2-{p}-{c}");
                await service.SubmitAsync(request);
                await services[(p + 1) % 2].SubmitAsync(request);
            }
        })));

        LedgerAccount account = (await rig.Ledger.GetAccountAsync(rig.Lane))!;
        Assert.Equal(320UL, account.NextNonce - account.FirstNonce);
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(60));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task S25_TwoRunnersOneLane_OnlyTheLeaseHolderSends_AllConfirmedOnce()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 20).Select(i => $"s25-{i}")];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s25"));
        var first = new LaneRunner(rig.NewLane(), rig.Leases, NullLogger.Instance, TimeSpan.FromSeconds(15));
        var second = new LaneRunner(rig.NewLane(), rig.Leases, NullLogger.Instance, TimeSpan.FromSeconds(15));
        using var stop = new CancellationTokenSource();
        Task a = first.RunAsync(stop.Token);
        Task b = second.RunAsync(stop.Token);

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        bool bothHeld = false;
        while ((await rig.StatusAsync(id)).RuntimeStatus != CommandRuntimeStatus.Completed)
        {
            bothHeld |= first.HoldsLease && second.HoldsLease;
            Assert.True(DateTime.UtcNow < deadline, "the lane runners did not finish the command");
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(a, b);
        Assert.False(bothHeld);
        Assert.True(first.Lane.OpenCount + second.Lane.OpenCount == 0);
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task S26_SlicesOfTwoRunners_TheSecondIsRefusedWhileTheFirstRuns_AndTakesTheLeaseAtOnceAfterIt()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 20).Select(i => $"s26-{i}")];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s26"));
        var first = new LaneRunner(rig.NewLane(), rig.Leases, NullLogger.Instance, TimeSpan.FromSeconds(15));
        var second = new LaneRunner(rig.NewLane(), rig.Leases, NullLogger.Instance, TimeSpan.FromSeconds(15));

        // Runs until nothing is open (the budget is only a bound for a stuck run).
        Task<LaneSliceOutcome> a = first.RunSliceAsync(TimeSpan.FromSeconds(120), TimeSpan.Zero, CancellationToken.None);
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!first.HoldsLease && !a.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first slice did not take the lease");
            await Task.Delay(20);
        }

        // Refused while the first holds the lease (unless the first ended in between, which the second then may run after).
        LaneSliceOutcome meanwhile = await second.RunSliceAsync(TimeSpan.FromSeconds(1), TimeSpan.Zero, CancellationToken.None);
        Assert.True(meanwhile == LaneSliceOutcome.HeldElsewhere || a.IsCompleted, $"the second runner's slice ran ({meanwhile}) while the first held the lease");

        Assert.Equal(LaneSliceOutcome.Idle, await a);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        // The first slice released its lease: the second runs now, not after the lease's 15 s.
        Assert.Equal(LaneSliceOutcome.Idle, await second.RunSliceAsync(TimeSpan.FromSeconds(5), TimeSpan.Zero, CancellationToken.None));
        Assert.False(first.SliceRunning || second.SliceRunning);
        await rig.AssertInvariantsAsync(oracle, ids);
    }
}
