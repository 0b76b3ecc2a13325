using System.Collections.Concurrent;
using StoFunctions.Runtime;

namespace StoFunctions.Tests.Runtime;

/// <summary>Every blob version the test blob functions ran for, across all hosts that share it.</summary>
internal sealed class BlobProbe
{
    public ConcurrentQueue<(string Host, string Name, string ETag, string Content, int FailureCount)> Calls { get; } = new();

    public Func<BlobTriggerContext, CancellationToken, Task> Behavior { get; set; } = (_, _) => Task.CompletedTask;
}

/// <summary>The blob function under test: downloads the version and records it under its host's name.</summary>
internal sealed class ProbeBlobFunction(BlobProbe probe, ProbeHostName host) : IBlobFunction
{
    public async Task RunAsync(BlobTriggerContext blob, CancellationToken cancellationToken)
    {
        BinaryData content = await blob.DownloadAsync(cancellationToken);
        probe.Calls.Enqueue((host.Name, blob.BlobName, blob.ETag.ToString(), content.ToString(), blob.FailureCount));
        await probe.Behavior(blob, cancellationToken);
    }
}

/// <summary>Tells a test function which of several hosts it runs in.</summary>
internal sealed record ProbeHostName(string Name);
