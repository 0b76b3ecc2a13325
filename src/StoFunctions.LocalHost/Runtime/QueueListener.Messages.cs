using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
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
                body = _options.MessageEncoding == QueueMessageEncoding.Base64 ? BinaryData.FromBytes(Convert.FromBase64String(message.MessageText)) : message.Body;
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
        catch (RequestFailedException e) when (IsLost(e))
        {
            _logger.MessageLost(message.MessageId, QueueName, Lost(message.MessageId, e));
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
            IQueueFunction handler = _createHandler(scope.ServiceProvider);
            await handler.RunAsync(new QueueTriggerMessage
            {
                QueueName = QueueName,
                MessageId = message.MessageId,
                Body = body,
                DequeueCount = message.DequeueCount,
                InsertedOn = message.InsertedOn.GetValueOrDefault(),
                ExpiresOn = message.ExpiresOn.GetValueOrDefault(),
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
            await queue.UpdateMessageAsync(message.MessageId, owner.PopReceipt, (string?)null, TimeSpan.Zero, timeout.Token).ConfigureAwait(false);
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
            await queue.UpdateMessageAsync(message.MessageId, owner.PopReceipt, (string?)null, _options.VisibilityTimeout, timeout.Token).ConfigureAwait(false);
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
            await poison.CreateIfNotExistsAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
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
                UpdateReceipt receipt = (await queue.UpdateMessageAsync(messageId, owner.PopReceipt, (string?)null, lease, timeout.Token).ConfigureAwait(false)).Value;
                owner.PopReceipt = receipt.PopReceipt;
                interval = lease / 2;
            }
            catch (RequestFailedException e) when (IsLost(e))
            {
                owner.Lost = true;
                _logger.MessageLost(messageId, QueueName, Lost(messageId, e));
                return;
            }
            catch (Exception e)
            {
                _logger.MessageRenewalFailed(messageId, QueueName, e.Message);
                interval = interval / 2 > TimeSpan.FromMilliseconds(500) ? interval / 2 : TimeSpan.FromMilliseconds(500);
            }
        }
    }

    /// <summary>
    /// A delete or update found that our pop receipt no longer owns the message: another consumer dequeued it
    /// (400 <c>PopReceiptMismatch</c>) or it is gone (404 <c>MessageNotFound</c>/<c>QueueNotFound</c>). Like the
    /// WebJobs SDK, the copy is dropped: someone else owns the message now.
    /// </summary>
    private static bool IsLost(RequestFailedException e) =>
        (e.Status == 400 && e.ErrorCode == QueueErrorCode.PopReceiptMismatch) ||
        (e.Status == 404 && (e.ErrorCode == QueueErrorCode.MessageNotFound || e.ErrorCode == QueueErrorCode.QueueNotFound));

    private static string Lost(string messageId, RequestFailedException e) =>
        $"Queue message {messageId} is no longer ours (HTTP {e.Status} {e.ErrorCode}): another consumer dequeued it or it was deleted. Drop this copy.";

    private sealed record Outcome(Exception? Error, bool Cancelled);

    /// <summary>The current pop receipt of a message being processed; replaced by every visibility renewal.</summary>
    private sealed class MessageOwnership(string popReceipt)
    {
        public string PopReceipt { get; set; } = popReceipt;

        public bool Lost { get; set; }
    }
}
