using System.Diagnostics;
using Microsoft.DurableTask.Client;
using StoFunctions.Pipeline.Lanes;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// Tells the lane orchestration that a submission planned rows. A slice running in this process is woken in memory
/// and nothing is sent; otherwise <see cref="LaneOrchestrator.WakeEvent"/> is raised, at most once per
/// <see cref="s_raiseEvery"/> per process (a burst of single transfers would otherwise raise one event, and so cost
/// one orchestration episode, each). A wake skipped by that limit is covered by the slice the previous one starts
/// (it reads the ledger for a second after emptying) or, at worst, by the idle wait. The first wake of a process
/// also starts the lane's instance if it is not running (the <c>LaneKeeper</c> timer does too).
/// </summary>
public sealed class LaneWaker(LaneRunner runner)
{
    private static readonly TimeSpan s_raiseEvery = TimeSpan.FromMilliseconds(200);
    private long _lastRaise;
    private bool _started;

    /// <summary>Wakes the lane; <paramref name="payload"/> <see cref="LaneOrchestrator.ChainCheck"/> also asks for a chain check.</summary>
    public async Task WakeAsync(DurableTaskClient client, CancellationToken cancellationToken, string payload = LaneOrchestrator.WakeEvent)
    {
        ArgumentNullException.ThrowIfNull(client);
        bool chainCheck = payload == LaneOrchestrator.ChainCheck;
        if (chainCheck)
        {
            runner.Lane.RequestChainCheck();
        }
        else
        {
            runner.Lane.Wake();
        }

        long last = Interlocked.Read(ref _lastRaise);
        if (runner.SliceRunning || (!chainCheck && last != 0 && Stopwatch.GetElapsedTime(last) < s_raiseEvery))
        {
            return;
        }

        Interlocked.Exchange(ref _lastRaise, Stopwatch.GetTimestamp());
        if (!Volatile.Read(ref _started))
        {
            await LaneInstances.EnsureRunningAsync(client, runner.Lane.Lane, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _started, true);
        }

        await client.RaiseEventAsync(LaneInstances.IdOf(runner.Lane.Lane), LaneOrchestrator.WakeEvent, payload, cancellationToken).ConfigureAwait(false);
    }
}
