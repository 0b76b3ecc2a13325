using StoFunctions.Azure.Storage;
using StoFunctions.Runtime;

namespace StoFunctions.Tests.Runtime;

/// <summary>
/// A timer function whose first run deletes the host container (locks and schedule status live there), waits
/// until the listener's lock is lost and then returns normally; later runs only count.
/// </summary>
internal sealed class HostContainerDeletingTimerFunction(TimerProbe probe, string connectionString) : ITimerFunction
{
    private int _runs;

    public bool SawLockLost { get; private set; }

    public async Task RunAsync(TimerInfo timer, CancellationToken cancellationToken)
    {
        probe.Calls.Enqueue(("deleting", timer));
        if (Interlocked.Increment(ref _runs) > 1)
        {
            return;
        }

        await StorageAccount.FromConnectionString(connectionString).Blobs.GetBlobContainerClient("azure-webjobs-hosts").DeleteAsync(cancellationToken: CancellationToken.None);
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(2), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            SawLockLost = true;
        }
    }
}
