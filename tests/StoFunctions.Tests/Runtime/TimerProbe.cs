using System.Collections.Concurrent;
using StoFunctions.Runtime;

namespace StoFunctions.Tests.Runtime;

/// <summary>Every timer invocation, across all hosts that share it.</summary>
internal sealed class TimerProbe
{
    public ConcurrentQueue<(string Host, TimerInfo Timer)> Calls { get; } = new();
}

/// <summary>The timer function under test.</summary>
internal sealed class ProbeTimerFunction(TimerProbe probe, ProbeHostName host) : ITimerFunction
{
    public Task RunAsync(TimerInfo timer, CancellationToken cancellationToken)
    {
        probe.Calls.Enqueue((host.Name, timer));
        return Task.CompletedTask;
    }
}
