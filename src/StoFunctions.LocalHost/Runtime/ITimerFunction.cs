namespace StoFunctions.Runtime;

/// <summary>
/// A timer-triggered function: runs on its NCrontab schedule on one instance at a time (a blob-lease
/// singleton). A failure is logged and not retried; the next occurrence runs on schedule (Functions' rule).
/// </summary>
public interface ITimerFunction
{
    /// <summary>Handles one occurrence. <paramref name="cancellationToken"/> fires when the host stops and the grace period is over, or the singleton lock is lost.</summary>
    Task RunAsync(TimerInfo timer, CancellationToken cancellationToken);
}
