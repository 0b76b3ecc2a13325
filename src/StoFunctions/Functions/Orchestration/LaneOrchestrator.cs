using Microsoft.DurableTask;
using StoFunctions.Pipeline.Lanes;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Orchestration <c>LaneOrchestrator</c>: the singleton that runs a sender's lane (nonce order, signing, broadcast,
/// receipts, confirmations, fee bumps, reorgs), one instance per chain and sender (<see cref="LaneInstances"/>).
/// It runs the lane in coarse slices, <see cref="LaneSliceActivity"/> (each a few seconds of lane steps over
/// batches of ledger rows under the lane's blob lease, never one activity per transaction): the next slice at once
/// while transactions are open, else when a submission raises <see cref="WakeEvent"/> or after
/// <see cref="IdleWait"/> (the idle lane's chain check). The ledger stays the record of every transaction; the
/// orchestration owns when the lane runs, its retries and its timers. <c>ContinueAsNew</c> every
/// <see cref="SlicesPerHistory"/> slices bounds the history, keeping wakes that arrived meanwhile.
/// </summary>
public static class LaneOrchestrator
{
    /// <summary>The orchestrator's function name.</summary>
    public const string Name = nameof(LaneOrchestrator);

    /// <summary>The event a submission raises when it planned rows for the lane; payload <see cref="ChainCheck"/> or anything else.</summary>
    public const string WakeEvent = "wake";

    /// <summary>The wake payload that makes the next slice compare the chain's nonce with the ledger at once.</summary>
    public const string ChainCheck = "chain-check";

    private const int SlicesPerHistory = 50;

    /// <summary>How long an idle lane waits for a wake before a slice looks at the chain again.</summary>
    public static TimeSpan IdleWait { get; } = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_leaseRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_sliceMargin = TimeSpan.FromSeconds(10);

    /// <summary>Runs the lane; the input is whether the first slice must check the chain (carried over <c>ContinueAsNew</c>).</summary>
    [Function(Name)]
    public static async Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool chainCheck = context.GetInput<bool>();
        TimeSpan backoff = TimeSpan.Zero;
        for (int slice = 0; slice < SlicesPerHistory; slice++)
        {
            LaneSliceOutcome outcome = await RunSliceAsync(context, chainCheck).ConfigureAwait(true);
            chainCheck &= outcome is LaneSliceOutcome.HeldElsewhere or LaneSliceOutcome.Failed;

            backoff = outcome == LaneSliceOutcome.Failed ? Next(backoff) : TimeSpan.Zero;
            switch (outcome)
            {
                case LaneSliceOutcome.Busy:
                    break;
                case LaneSliceOutcome.HeldElsewhere:
                    await context.CreateTimer(context.CurrentUtcDateTime + s_leaseRetry, CancellationToken.None).ConfigureAwait(true);
                    break;
                case LaneSliceOutcome.Failed:
                    await context.CreateTimer(context.CurrentUtcDateTime + backoff, CancellationToken.None).ConfigureAwait(true);
                    break;
                default:
                    try
                    {
                        string? payload = await context.WaitForExternalEvent<string>(WakeEvent, IdleWait).ConfigureAwait(true);
                        chainCheck = payload == ChainCheck;
                    }
                    catch (TaskCanceledException)
                    {
                        // No wake within the idle wait: the next slice runs the idle lane's chain check.
                    }

                    break;
            }
        }

        context.ContinueAsNew(chainCheck, preserveUnprocessedEvents: true);
    }

    // A slice whose process was killed would come back only after the work-item queue's visibility timeout (30 s); a
    // slice not answered within its budget plus a margin is given up and the next one scheduled. It waits for the
    // dead slice's lease (HeldElsewhere) like the hosted lane did, and the dead slice, if delivered again later, finds
    // the lease taken or the lane up to date; its late result is recorded and ignored.
    private static async Task<LaneSliceOutcome> RunSliceAsync(TaskOrchestrationContext context, bool chainCheck)
    {
        Task<LaneSliceOutcome> slice = context.CallActivityAsync<LaneSliceOutcome>(LaneSliceActivity.Name, chainCheck);
        using var giveUp = new CancellationTokenSource();
        Task timeout = context.CreateTimer(context.CurrentUtcDateTime + LaneSliceActivity.Budget + s_sliceMargin, giveUp.Token);
        if (await Task.WhenAny(slice, timeout).ConfigureAwait(true) != slice)
        {
            return LaneSliceOutcome.HeldElsewhere;
        }

        // Cancel, not CancelAsync: an orchestrator may only await durable tasks. CancelAsync runs the timer's callback on
        // the thread pool, so the orchestrator resumed outside its episode and stopped scheduling anything.
        giveUp.Cancel();
        try
        {
            return await slice.ConfigureAwait(true);
        }
        catch (TaskFailedException)
        {
            // The activity threw (its process lost storage mid-slice): the ledger is consistent, the next slice reloads it.
            return LaneSliceOutcome.Failed;
        }
    }

    private static TimeSpan Next(TimeSpan backoff) =>
        backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
}
