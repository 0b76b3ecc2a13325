namespace StoFunctions;

/// <summary>The trigger runtime's log lines (event ids 1000–1099). Message bodies and blob contents are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Queue function {Function} listening on queue {Queue} (batch {BatchSize}, new batch at {NewBatchThreshold}, max polling {MaxPollingInterval})")]
    public static partial void QueueListenerStarted(this ILogger logger, string function, string queue, int batchSize, int newBatchThreshold, TimeSpan maxPollingInterval);

    [LoggerMessage(1001, LogLevel.Information, "Queue function {Function} stopped on queue {Queue}; {Cancelled} in-flight invocations were cancelled after the grace period")]
    public static partial void QueueListenerStopped(this ILogger logger, string function, string queue, int cancelled);


    [LoggerMessage(1003, LogLevel.Debug, "Queue function {Function} completed message {MessageId} (attempt {DequeueCount}) and deleted it")]
    public static partial void MessageCompleted(this ILogger logger, string function, string messageId, long dequeueCount);

    [LoggerMessage(1004, LogLevel.Warning, "Queue function {Function} failed on message {MessageId} (attempt {DequeueCount} of {MaxDequeueCount}); visible again in {VisibilityTimeout}")]
    public static partial void MessageFailed(this ILogger logger, Exception exception, string function, string messageId, long dequeueCount, int maxDequeueCount, TimeSpan visibilityTimeout);

    [LoggerMessage(1005, LogLevel.Error, "Message {MessageId} of queue {Queue} moved to {PoisonQueue} after attempt {DequeueCount}: {Reason}")]
    public static partial void MessagePoisoned(this ILogger logger, string messageId, string queue, string poisonQueue, long dequeueCount, string reason);

    [LoggerMessage(1006, LogLevel.Error, "Message {MessageId} of queue {Queue} cannot succeed ({Reason}) but the queue has no poison queue; left invisible")]
    public static partial void MessageWithoutPoisonQueue(this ILogger logger, string messageId, string queue, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "Message {MessageId} of queue {Queue} is no longer ours (visibility lapsed; another consumer may hold it): {Error}")]
    public static partial void MessageLost(this ILogger logger, string messageId, string queue, string error);

    [LoggerMessage(1008, LogLevel.Information, "Queue function {Function} was cancelled on message {MessageId} by shutdown; the message is visible again")]
    public static partial void MessageReleased(this ILogger logger, string function, string messageId);

    [LoggerMessage(1009, LogLevel.Warning, "Renewing the visibility of message {MessageId} on queue {Queue} failed: {Error}")]
    public static partial void MessageRenewalFailed(this ILogger logger, string messageId, string queue, string error);

    [LoggerMessage(1010, LogLevel.Error, "Settling message {MessageId} of queue {Queue} failed; it reappears after its visibility timeout: {Error}")]
    public static partial void MessageSettleFailed(this ILogger logger, string messageId, string queue, string error);

    [LoggerMessage(1020, LogLevel.Information, "Blob function {Function} watching container {Container} (prefix '{Prefix}', every {PollingInterval})")]
    public static partial void BlobListenerStarted(this ILogger logger, string function, string container, string prefix, TimeSpan pollingInterval);

    [LoggerMessage(1021, LogLevel.Information, "Blob function {Function} stopped on container {Container}; {Cancelled} in-flight invocations were cancelled after the grace period")]
    public static partial void BlobListenerStopped(this ILogger logger, string function, string container, int cancelled);


    [LoggerMessage(1023, LogLevel.Information, "Blob function {Function} completed {Container}/{BlobName} version {ETag}")]
    public static partial void BlobCompleted(this ILogger logger, string function, string container, string blobName, string etag);

    [LoggerMessage(1024, LogLevel.Warning, "Blob function {Function} failed on {Container}/{BlobName} version {ETag} (failure {FailureCount} of {PoisonBlobThreshold}); retried on a later scan")]
    public static partial void BlobFailed(this ILogger logger, Exception exception, string function, string container, string blobName, string etag, int failureCount, int poisonBlobThreshold);

    [LoggerMessage(1025, LogLevel.Error, "Blob {Container}/{BlobName} version {ETag} failed {FailureCount} times in function {Function}; reported to queue {PoisonQueue} and not retried")]
    public static partial void BlobPoisoned(this ILogger logger, string container, string blobName, string etag, int failureCount, string function, string poisonQueue);

    [LoggerMessage(1026, LogLevel.Warning, "Processing {Container}/{BlobName} version {ETag} in function {Function} failed in the runtime: {Error}")]
    public static partial void BlobReceiptFailed(this ILogger logger, string container, string blobName, string etag, string function, string error);

    [LoggerMessage(1027, LogLevel.Debug, "Blob {Container}/{BlobName} version {ETag} changed or vanished before function {Function} ran; its receipt is closed")]
    public static partial void BlobVersionGone(this ILogger logger, string container, string blobName, string etag, string function);

    [LoggerMessage(1040, LogLevel.Information, "Timer function {Function} scheduled '{Schedule}' (runOnStartup {RunOnStartup}); waiting for its singleton lock")]
    public static partial void TimerListenerStarted(this ILogger logger, string function, string schedule, bool runOnStartup);

    [LoggerMessage(1041, LogLevel.Information, "Timer function {Function} holds its singleton lock; next occurrence {Next:O}")]
    public static partial void TimerLockAcquired(this ILogger logger, string function, DateTimeOffset next);

    [LoggerMessage(1042, LogLevel.Warning, "Timer function {Function} lost its singleton lock; another instance runs the schedule now")]
    public static partial void TimerLockLost(this ILogger logger, string function);

    [LoggerMessage(1043, LogLevel.Information, "Timer function {Function} runs for {ScheduledTime:O} (past due {IsPastDue}, startup run {IsStartupRun})")]
    public static partial void TimerInvoking(this ILogger logger, string function, DateTimeOffset scheduledTime, bool isPastDue, bool isStartupRun);



    [LoggerMessage(1046, LogLevel.Information, "Timer function {Function} stopped")]
    public static partial void TimerListenerStopped(this ILogger logger, string function);

    [LoggerMessage(1060, LogLevel.Warning, "Lease on {Resource} lost: {Error}")]
    public static partial void LeaseLost(this ILogger logger, string resource, string error);

    [LoggerMessage(1061, LogLevel.Warning, "Renewing the lease on {Resource} failed; retrying sooner: {Error}")]
    public static partial void LeaseRenewalFailed(this ILogger logger, string resource, string error);

    [LoggerMessage(1062, LogLevel.Debug, "Releasing the lease on {Resource} failed; it expires on its own: {Error}")]
    public static partial void LeaseReleaseFailed(this ILogger logger, string resource, string error);
}
