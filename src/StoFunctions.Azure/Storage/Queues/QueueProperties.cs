namespace StoFunctions.Azure.Storage.Queues;

/// <summary>Queue properties.</summary>
public sealed class QueueProperties
{
    /// <summary>The approximate number of messages (visible and invisible, not yet expired).</summary>
    public int ApproximateMessagesCount { get; init; }

    /// <summary>User metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
