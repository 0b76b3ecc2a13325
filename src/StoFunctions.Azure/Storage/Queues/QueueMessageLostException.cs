using Azure;

namespace StoFunctions.Azure.Storage.Queues;

/// <summary>
/// A delete or update found that the pop receipt no longer owns the message: it was dequeued again by another
/// consumer (400 <c>PopReceiptMismatch</c>) or is gone (404 <c>MessageNotFound</c>/<c>QueueNotFound</c>). The
/// trigger runtime treats this as "someone else owns it" and drops its copy, as the WebJobs SDK does.
/// </summary>
public sealed class QueueMessageLostException : RequestFailedException
{
    internal QueueMessageLostException(Response response, string messageId)
        : base(response.Status,
            $"Queue message {messageId} is no longer ours (HTTP {response.Status} {StoragePipeline.ErrorCode(response)}): another consumer dequeued it or it was deleted. Drop this copy.",
            StoragePipeline.ErrorCode(response),
            null)
    {
        MessageId = messageId;
    }

    /// <summary>The message id.</summary>
    public string MessageId { get; }
}
