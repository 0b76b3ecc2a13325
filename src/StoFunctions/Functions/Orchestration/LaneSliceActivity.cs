using StoFunctions.Pipeline.Lanes;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Activity <c>LaneSlice</c>: a few seconds of the lane under its blob lease (<see cref="LaneRunner.RunSliceAsync"/>),
/// each step a batch of ledger rows: sign and broadcast what is planned, read receipts in JSON-RPC batches, confirm,
/// rebroadcast or bump. A slice ends after <see cref="Budget"/>, well inside the work-item queue's 30 s visibility
/// timeout so a slice is never delivered twice while it runs, or <see cref="IdleExit"/> after the lane emptied. A
/// redelivered slice (its process killed) is harmless: the lease fences it and the lane reloads from the ledger.
/// </summary>
public sealed class LaneSliceActivity(LaneRunner runner)
{
    /// <summary>The activity's function name.</summary>
    public const string Name = "LaneSlice";

    /// <summary>The longest a slice runs.</summary>
    public static TimeSpan Budget { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a slice stays after the lane emptied, for submissions arriving in a burst (they wake it in memory).</summary>
    public static TimeSpan IdleExit { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Runs one slice; <paramref name="chainCheck"/> makes it compare the chain's nonce with the ledger first.</summary>
    [Function(Name)]
    public Task<LaneSliceOutcome> RunAsync([ActivityTrigger] bool chainCheck, CancellationToken cancellationToken)
    {
        if (chainCheck)
        {
            runner.Lane.RequestChainCheck();
        }

        return runner.RunSliceAsync(Budget, IdleExit, cancellationToken);
    }
}
