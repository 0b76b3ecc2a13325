namespace StoFunctions.Runtime;

/// <summary>The message a queue function receives (body decoded per <c>messageEncoding</c>).</summary>
public sealed class QueueTriggerMessage
{
    /// <summary>The queue it came from.</summary>
    public required string QueueName { get; init; }

    /// <summary>The service's message id (stable across attempts).</summary>
    public required string MessageId { get; init; }

    /// <summary>The decoded body.</summary>
    public required BinaryData Body { get; init; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Body.ToString();

    /// <summary>The attempt number: 1 on first delivery.</summary>
    public long DequeueCount { get; init; }

    /// <summary>When the message was inserted.</summary>
    public DateTimeOffset InsertedOn { get; init; }

    /// <summary>When the message expires.</summary>
    public DateTimeOffset ExpiresOn { get; init; }
}
