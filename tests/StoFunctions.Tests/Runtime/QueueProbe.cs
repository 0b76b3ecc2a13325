using System.Collections.Concurrent;
using StoFunctions.Runtime;

namespace StoFunctions.Tests.Runtime;

/// <summary>What the test queue function saw, and what it should do with each message.</summary>
internal sealed class QueueProbe
{
    private int _running;
    private int _peak;

    public ConcurrentQueue<QueueTriggerMessage> Calls { get; } = new();

    public Func<QueueTriggerMessage, CancellationToken, Task> Behavior { get; set; } = (_, _) => Task.CompletedTask;

    public int Running => Volatile.Read(ref _running);

    public int Peak => Volatile.Read(ref _peak);

    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        int now = Interlocked.Increment(ref _running);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        Calls.Enqueue(message);
        try
        {
            await Behavior(message, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>The queue function under test: hands every message to the host's <see cref="QueueProbe"/>.</summary>
internal sealed class ProbeQueueFunction(QueueProbe probe) : IQueueFunction
{
    public Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken) => probe.RunAsync(message, cancellationToken);
}
