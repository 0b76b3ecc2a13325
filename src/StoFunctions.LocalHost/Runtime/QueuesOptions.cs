using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;

namespace StoFunctions.Runtime;

/// <summary>
/// The queue trigger's knobs, bound from host.json <c>extensions.queues</c> with Azure Functions' key names
/// and defaults (research/azure.md §3.1). Shared by every queue function of the host.
/// </summary>
public sealed class QueuesOptions
{
    /// <summary>The configuration section (host.json <c>extensions.queues</c>).</summary>
    public const string Section = "AzureFunctionsJobHost:extensions:queues";

    /// <summary>The shortest polling delay; the backoff starts here and returns here after a poll that found messages.</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between polls of an idle queue (<c>maxPollingInterval</c>, default 1 min, minimum 100 ms).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a message whose handler failed stays invisible before its next attempt (<c>visibilityTimeout</c>, default 0).</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Messages per Get Messages call (<c>batchSize</c>, 1–32, default 16).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Attempts before a message moves to <c>&lt;queue&gt;-poison</c> (<c>maxDequeueCount</c>, default 5).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// A new batch is fetched once the in-flight count falls to this (<c>newBatchThreshold</c>); unset means
    /// <c>batchSize / 2</c>, Functions' value on one vCPU (Consumption).
    /// </summary>
    public int? NewBatchThreshold { get; set; }

    /// <summary>Message body encoding (<c>messageEncoding</c>: <c>base64</c>, the default, or <c>none</c>).</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;

    /// <summary>The threshold in effect.</summary>
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2;

    internal IEnumerable<string> Validate()
    {
        if (BatchSize is < 1 or > StorageLimits.MaxMessagesPerCall)
        {
            yield return $"host.json extensions.queues.batchSize is {BatchSize}; it must be 1–{StorageLimits.MaxMessagesPerCall} (messages per Get Messages call).";
        }

        if (MaxPollingInterval < MinPollingInterval)
        {
            yield return $"host.json extensions.queues.maxPollingInterval is {MaxPollingInterval}; the minimum is 00:00:00.100.";
        }

        if (VisibilityTimeout < TimeSpan.Zero || VisibilityTimeout > TimeSpan.FromDays(7))
        {
            yield return $"host.json extensions.queues.visibilityTimeout is {VisibilityTimeout}; it must be 0 to 7 days.";
        }

        if (MaxDequeueCount < 1)
        {
            yield return $"host.json extensions.queues.maxDequeueCount is {MaxDequeueCount}; it must be at least 1.";
        }

        if (NewBatchThreshold is < 0)
        {
            yield return $"host.json extensions.queues.newBatchThreshold is {NewBatchThreshold}; it must be 0 or more.";
        }
    }
}
