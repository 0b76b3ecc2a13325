namespace StoFunctions.Azure.Storage.Queues;

/// <summary>A message seen without dequeuing it: no pop receipt, visibility unchanged.</summary>
public sealed class PeekedMessage
{
    private readonly BinaryData? _body;

    internal PeekedMessage(string messageText, QueueMessageEncoding encoding)
    {
        MessageText = messageText;
        _body = QueueMessage.Decode(messageText, encoding);
    }

    /// <summary>The message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>How often the message was dequeued.</summary>
    public long DequeueCount { get; init; }

    /// <summary>When it was inserted.</summary>
    public DateTimeOffset InsertedOn { get; init; }

    /// <summary>When it expires.</summary>
    public DateTimeOffset ExpiresOn { get; init; }

    /// <summary>The service's MessageText, as stored.</summary>
    public string MessageText { get; }

    /// <summary>The decoded body.</summary>
    /// <exception cref="FormatException">The text is not valid base64 under <see cref="QueueMessageEncoding.Base64"/>.</exception>
    public BinaryData Body => _body ?? throw QueueMessage.NotBase64(MessageId);
}
