namespace StoFunctions.Azure.Storage.Queues;

/// <summary>A dequeued message, invisible to others until <see cref="NextVisibleOn"/> unless deleted or updated with <see cref="PopReceipt"/>.</summary>
public sealed class QueueMessage
{
    private readonly BinaryData? _body;

    internal QueueMessage(string messageText, QueueMessageEncoding encoding)
    {
        MessageText = messageText;
        _body = Decode(messageText, encoding);
    }

    /// <summary>The message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The receipt that proves ownership for delete and update; stale once the message is dequeued again.</summary>
    public required string PopReceipt { get; init; }

    /// <summary>How often the message was dequeued, including this time.</summary>
    public long DequeueCount { get; init; }

    /// <summary>When it was inserted.</summary>
    public DateTimeOffset InsertedOn { get; init; }

    /// <summary>When it expires.</summary>
    public DateTimeOffset ExpiresOn { get; init; }

    /// <summary>When it becomes visible again.</summary>
    public DateTimeOffset NextVisibleOn { get; init; }

    /// <summary>The service's MessageText, as stored.</summary>
    public string MessageText { get; }

    /// <summary>The decoded body.</summary>
    /// <exception cref="FormatException">The text is not valid base64 under <see cref="QueueMessageEncoding.Base64"/>
    /// (the Functions runtime moves such messages to the poison queue).</exception>
    public BinaryData Body => _body ?? throw NotBase64(MessageId);

    internal static BinaryData? Decode(string text, QueueMessageEncoding encoding)
    {
        if (encoding == QueueMessageEncoding.None)
        {
            return BinaryData.FromString(text);
        }

        byte[] buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out int written) ? new BinaryData(buffer.AsMemory(0, written)) : null;
    }

    internal static FormatException NotBase64(string messageId) =>
        new($"Queue message {messageId} is not valid base64; it was written without encoding. Read MessageText, or use QueueMessageEncoding.None.");
}
