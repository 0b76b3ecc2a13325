using StoFunctions.Azure.Storage.Queues;
using StoFunctions.Pipeline.Outages;

namespace StoFunctions.Runtime;

public sealed partial class QueueListener
{
    private async Task ProcessAsync(QueueClient queue, QueueMessage message, CancellationToken handlerToken)
    {
        var owner = new MessageOwnership(message.PopReceipt);
        try
        {
            // WebJobs checks before running: a message past the limit (e.g. its host crashed mid-run each time) is not run again.
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                await PoisonAsync(queue, message, owner, $"dequeue count {message.DequeueCount} is over maxDequeueCount {_options.MaxDequeueCount}").ConfigureAwait(false);
                return;
            }

            BinaryData body;
            try
            {
                body = message.Body;
            }
            catch (FormatException)
            {
                await PoisonAsync(queue, message, owner, "the message text is not valid base64 (host.json extensions.queues.messageEncoding is base64)").ConfigureAwait(false);
                return;
            }

            Outcome outcome = await RunHandlerAsync(queue, message, body, owner, handlerToken).ConfigureAwait(false);
            if (owner.Lost)
            {
                return;
            }

            await SettleAsync(queue, message, owner, outcome).ConfigureAwait(false);
        }
        catch (QueueMessageLostException e)
        {
            _logger.MessageLost(message.MessageId, QueueName, e.Message);
        }
        catch (Exception e)
        {
            _logger.MessageSettleFailed(message.MessageId, QueueName, e.Message);
        }
    }

    private async Task<Outcome> RunHandlerAsync(QueueClient queue, QueueMessage message, BinaryData body, MessageOwnership owner, CancellationToken handlerToken)
    {
        using var stopRenewal = new CancellationTokenSource();
        Task renewal = RenewVisibilityAsync(queue, message.MessageId, owner, stopRenewal.Token);
        using CancellationTokenSource invocation = _runtime.StartInvocation(handlerToken);
        try
        {
            await using AsyncServiceScope scope = _scopes.CreateAsyncScope();
            var handler = (IQueueFunction)scope.ServiceProvider.GetRequiredService(_handlerType);
            await handler.RunAsync(new QueueTriggerMessage
            {
                QueueName = QueueName,
                MessageId = message.MessageId,
                Body = body,
                DequeueCount = message.DequeueCount,
                InsertedOn = message.InsertedOn,
                ExpiresOn = message.ExpiresOn,
            }, invocation.Token).ConfigureAwait(false);
            return new Outcome(null, Cancelled: false);
        }
        catch (OperationCanceledException) when (handlerToken.IsCancellationRequested)
        {
            return new Outcome(null, Cancelled: true);
        }
        catch (OperationCanceledException e) when (invocation.IsCancellationRequested)
        {
            return new Outcome(new TimeoutException($"The function ran longer than functionTimeout {_runtime.FunctionTimeout} and was cancelled.", e), Cancelled: false);
        }
        catch (Exception e)
        {
            return new Outcome(e, Cancelled: false);
        }
        finally
        {
            await stopRenewal.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }
    }

    private async Task SettleAsync(QueueClient queue, QueueMessage message, MessageOwnership owner, Outcome outcome)
    {
        using var timeout = new CancellationTokenSource(s_settleTimeout);
        if (outcome.Cancelled)
        {
            // Shutdown: not the message's fault, so it goes back at once for another instance (no delete).
            await queue.UpdateMessageAsync(message.MessageId, owner.PopReceipt, null, TimeSpan.Zero, timeout.Token).ConfigureAwait(false);
            _logger.MessageReleased(FunctionName, message.MessageId);
        }
        else if (outcome.Error is null)
        {
            await queue.DeleteMessageAsync(message.MessageId, owner.PopReceipt, timeout.Token).ConfigureAwait(false);
            _logger.MessageCompleted(FunctionName, message.MessageId, message.DequeueCount);
        }
        else if (outcome.Error is PoisonMessageException poison)
        {
            await PoisonAsync(queue, message, owner, poison.Message).ConfigureAwait(false);
        }
        else if (message.DequeueCount >= _options.MaxDequeueCount)
        {
            _logger.MessageFailed(outcome.Error, FunctionName, message.MessageId, message.DequeueCount, _options.MaxDequeueCount, TimeSpan.Zero);
            await PoisonAsync(queue, message, owner, $"failed {message.DequeueCount} times (maxDequeueCount {_options.MaxDequeueCount}); last error {outcome.Error.GetType().Name}: {outcome.Error.Message}").ConfigureAwait(false);
        }
        else
        {
            _logger.MessageFailed(outcome.Error, FunctionName, message.MessageId, message.DequeueCount, _options.MaxDequeueCount, _options.VisibilityTimeout);
            await queue.UpdateMessageAsync(message.MessageId, owner.PopReceipt, null, _options.VisibilityTimeout, timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task PoisonAsync(QueueClient queue, QueueMessage message, MessageOwnership owner, string reason)
    {
        if (PoisonQueueName is null)
        {
            _logger.MessageWithoutPoisonQueue(message.MessageId, QueueName, reason);
            return;
        }

        using var timeout = new CancellationTokenSource(s_settleTimeout);
        QueueClient poison = _storage.RawQueues.GetQueueClient(PoisonQueueName);
        if (!_poisonQueueCreated)
        {
            await poison.CreateIfNotExistsAsync(timeout.Token).ConfigureAwait(false);
            _poisonQueueCreated = true;
        }

        try
        {
            // The raw client copies MessageText verbatim, so the poison message decodes exactly like the original.
            await poison.SendMessageAsync(message.MessageText, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (DependencyFailure.IsMissingResource(e))
        {
            // The poison queue was deleted while the app ran: create it again (the message is retried on failure).
            _poisonQueueCreated = false;
            throw;
        }
        await queue.DeleteMessageAsync(message.MessageId, owner.PopReceipt, timeout.Token).ConfigureAwait(false);
        _logger.MessagePoisoned(message.MessageId, QueueName, PoisonQueueName, message.DequeueCount, reason);
    }

    private async Task RenewVisibilityAsync(QueueClient queue, string messageId, MessageOwnership owner, CancellationToken stop)
    {
        TimeSpan lease = _runtime.MessageLeaseDuration;
        TimeSpan interval = lease / 2;
        while (true)
        {
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                // Never cancelled midway: an update the service applied but we did not see would leave us a stale pop receipt.
                using var timeout = new CancellationTokenSource(interval);
                UpdateReceipt receipt = (await queue.UpdateMessageAsync(messageId, owner.PopReceipt, null, lease, timeout.Token).ConfigureAwait(false)).Value;
                owner.PopReceipt = receipt.PopReceipt;
                interval = lease / 2;
            }
            catch (QueueMessageLostException e)
            {
                owner.Lost = true;
                _logger.MessageLost(messageId, QueueName, e.Message);
                return;
            }
            catch (Exception e)
            {
                _logger.MessageRenewalFailed(messageId, QueueName, e.Message);
                interval = interval / 2 > TimeSpan.FromMilliseconds(500) ? interval / 2 : TimeSpan.FromMilliseconds(500);
            }
        }
    }

    private sealed record Outcome(Exception? Error, bool Cancelled);

    /// <summary>The current pop receipt of a message being processed; replaced by every visibility renewal.</summary>
    private sealed class MessageOwnership(string popReceipt)
    {
        public string PopReceipt { get; set; } = popReceipt;

        public bool Lost { get; set; }
    }
}
