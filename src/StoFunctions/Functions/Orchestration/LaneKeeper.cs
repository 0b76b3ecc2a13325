using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Pipeline.Outages;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// The <c>LaneKeeper</c> timer (app setting <c>LaneKeeperSchedule</c>, a 6-field NCrontab expression): starts the
/// lane orchestration when it is not running (first start of the app, or an instance an operator terminated) and
/// re-plans commands whose planning a crash interrupted, then wakes the lane for them. A commands or ledger table
/// deleted meanwhile is created again.
/// </summary>
public sealed class LaneKeeper(Platform platform, LaneWaker waker, ILogger<LaneKeeper> logger)
{
    /// <summary>The timer function's name.</summary>
    public const string Name = "LaneKeeper";

    /// <summary>One round.</summary>
    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%LaneKeeperSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (durable is null)
        {
            // A local host started without a task hub (no chain configured at startup) has no lane to keep.
            return;
        }

        await LaneInstances.EnsureRunningAsync(durable, platform.Lane, cancellationToken).ConfigureAwait(false);
        int resumed;
        try
        {
            resumed = await platform.Commands.ResumePendingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DependencyFailure.IsMissingResource(e))
        {
            await platform.Commands.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            logger.TablesRecreated();
            resumed = await platform.Commands.ResumePendingAsync(cancellationToken).ConfigureAwait(false);
        }

        if (resumed > 0)
        {
            await waker.WakeAsync(durable, cancellationToken).ConfigureAwait(false);
        }
    }
}
