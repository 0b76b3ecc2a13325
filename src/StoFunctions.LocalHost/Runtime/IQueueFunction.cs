namespace StoFunctions.Runtime;

/// <summary>
/// A queue-triggered function. Delivery is at least once (a message can run again after a crash, a lost
/// visibility renewal or on another instance), so handlers must be idempotent. Return to delete the message;
/// throw to retry it after <c>visibilityTimeout</c> (until <c>maxDequeueCount</c>, then <c>&lt;queue&gt;-poison</c>);
/// throw <see cref="PoisonMessageException"/> to send it to the poison queue at once.
/// </summary>
public interface IQueueFunction
{
    /// <summary>Handles one message. <paramref name="cancellationToken"/> fires when the host stops and the grace period is over.</summary>
    Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken);
}
