namespace StoFunctions.Azure.Storage.Queues;

/// <summary>What the service returns for a sent message.</summary>
public sealed class SendReceipt
{
    /// <summary>The message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>A pop receipt valid until the message is next dequeued.</summary>
    public required string PopReceipt { get; init; }

    /// <summary>When the message was inserted.</summary>
    public DateTimeOffset InsertedOn { get; init; }

    /// <summary>When it expires (<see cref="DateTimeOffset.MaxValue"/>-like far future for TTL -1).</summary>
    public DateTimeOffset ExpiresOn { get; init; }

    /// <summary>When it becomes visible.</summary>
    public DateTimeOffset NextVisibleOn { get; init; }
}
