using System.Collections.Concurrent;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Ethereum.Tests.Rpc;

/// <summary>Records what a <see cref="JsonRpcClient"/> reports about stalls.</summary>
internal sealed class RecordingStallObserver : IRpcStallObserver
{
    private readonly ConcurrentQueue<string> _stalls = new();
    private readonly ConcurrentQueue<TimeSpan> _recoveries = new();

    public IReadOnlyList<string> Stalls => [.. _stalls];

    public IReadOnlyList<TimeSpan> Recoveries => [.. _recoveries];

    public void Stalled(Uri endpoint, string method, TimeSpan outstanding) => _stalls.Enqueue(method);

    public void Recovered(Uri endpoint, string method, TimeSpan stalledFor) => _recoveries.Enqueue(stalledFor);
}
