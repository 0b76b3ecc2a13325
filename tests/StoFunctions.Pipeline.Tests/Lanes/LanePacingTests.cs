using System.Diagnostics;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// A lane whose open rows only wait for the chain reads it once per poll. It used to step again 1 ms after every
/// step while anything was open: on a chain of 12 s blocks with K = 12 a row is open for minutes, and every step
/// read the cursor, the head and each open row's receipt, hundreds of times a second against a metered node.
/// </summary>
public sealed class LanePacingTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task Wakes_that_come_before_the_lane_waits_leave_a_wake_pending_and_throw_nothing()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount(), LaneOptions.DevChain);
        TransactionLane lane = rig.NewLane();
        using var thrown = new ThrownInThisFlow();

        // Every submission wakes its lane, so under load most wakes find one pending.
        bool before = lane.WakePending;
        lane.Wake();
        lane.Wake();
        lane.Wake();

        Assert.False(before);
        Assert.True(lane.WakePending);
        Assert.Empty(thrown.Exceptions);
    }

    [Fact]
    public async Task Rows_waiting_for_their_confirmations_are_read_once_per_poll_and_confirm_when_the_blocks_come()
    {
        // K = 3 on an automining node: both rows are mined as they are sent, and no later block comes until one is
        // asked for, so the slice ends with both waiting for depth.
        TimeSpan poll = TimeSpan.FromMilliseconds(200);
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount(), LaneOptions.DevChain with { Confirmations = 3, PollInterval = poll });
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = ["paced-0", "paced-1"];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "paced"));
        var steps = new StepCount { InnerHandler = new HttpClientHandler() };
        using var rpc = new JsonRpcClient(new HttpClient(steps), fixture.Anvil.RpcUrl);
        TransactionLane lane = rig.NewLane(rpc: rpc);

        var clock = Stopwatch.StartNew();
        bool open = await lane.RunSliceAsync(TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan, CancellationToken.None);
        TimeSpan ran = clock.Elapsed;

        Assert.True(open, lane.DescribeOpen());
        Assert.Equal(2, lane.OpenCount);
        // One step per poll, and a few more while the rows were being loaded, sent and mined (each of those steps
        // wrote, so the next came at once). A loaded machine makes fewer steps, never more.
        int bound = (int)(ran / poll) + 8;
        Assert.True(steps.Count <= bound, $"{steps.Count} steps in {ran.TotalSeconds:F1} s (at most {bound} expected): {lane.DescribeOpen()}");

        await fixture.Anvil.RpcAsync("evm_mine");
        await fixture.Anvil.RpcAsync("evm_mine");
        await PipelineRig.RunUntilQuiescentAsync(lane, TimeSpan.FromSeconds(60));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    /// <summary>Counts the lane's steps that read the chain: each reads the market tip once, with the head and the nonce.</summary>
    private sealed class StepCount : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            if (body.Contains("\"eth_maxPriorityFeePerGas\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
