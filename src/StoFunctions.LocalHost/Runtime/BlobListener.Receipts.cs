using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;

namespace StoFunctions.Runtime;

public sealed partial class BlobListener
{
    private const string IncompleteKey = "Incomplete";
    private const string FailureCountKey = "FailureCount";
    private const string PoisonedKey = "Poisoned";

    private async Task ProcessAsync(BlobClient blob, ETag etag, CancellationToken handlerToken)
    {
        string version = etag.ToString();
        using var storageTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            BlobClient receipt = await _storage.HostBlobAsync(ReceiptName(_storage.HostId, FunctionName, ContainerName, blob.Name, etag), storageTimeout.Token).ConfigureAwait(false);
            BlobProperties? existing = await TryGetPropertiesAsync(receipt, storageTimeout.Token).ConfigureAwait(false);
            if (existing is not null && IsComplete(existing))
            {
                _done[blob.Name] = etag;
                return;
            }

            if (existing is null)
            {
                try
                {
                    await receipt.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, Metadata = new Dictionary<string, string> { [IncompleteKey] = "true" } }, storageTimeout.Token).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    // Another instance created the receipt first; whoever gets the lease runs the version.
                }
            }

            await using BlobLeaseLock? lease = await BlobLeaseLock.TryAcquireAsync(receipt, s_receiptLease, createIfMissing: false, _logger, storageTimeout.Token).ConfigureAwait(false);
            if (lease is null)
            {
                return;
            }

            // Re-read under the lease: the previous holder may have completed it between our check and our lease.
            BlobProperties pending = (await receipt.GetPropertiesAsync(cancellationToken: storageTimeout.Token).ConfigureAwait(false)).Value;
            if (IsComplete(pending))
            {
                _done[blob.Name] = etag;
                return;
            }

            int failures = pending.Metadata.TryGetValue(FailureCountKey, out string? count) && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
            BlobProperties? current = await TryGetPropertiesAsync(blob, storageTimeout.Token).ConfigureAwait(false);
            if (current is null || Version(current.ETag) != etag)
            {
                // The version is gone; a newer one has its own receipt (WebJobs drops such triggers as done).
                await CompleteAsync(receipt, lease, new Dictionary<string, string>(), storageTimeout.Token).ConfigureAwait(false);
                _done[blob.Name] = etag;
                _logger.BlobVersionGone(ContainerName, blob.Name, version, FunctionName);
                return;
            }

            Exception? error = await RunHandlerAsync(blob, current, failures, lease, handlerToken).ConfigureAwait(false);
            if (lease.Lost.IsCancellationRequested || (error is OperationCanceledException && handlerToken.IsCancellationRequested))
            {
                // Not the blob's fault: the receipt stays pending and the lease lapses or is released; retried later.
                return;
            }

            using var settleTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (error is null)
            {
                await CompleteAsync(receipt, lease, new Dictionary<string, string>(), settleTimeout.Token).ConfigureAwait(false);
                _done[blob.Name] = etag;
                _logger.BlobCompleted(FunctionName, ContainerName, blob.Name, version);
                return;
            }

            failures++;
            _logger.BlobFailed(error, FunctionName, ContainerName, blob.Name, version, failures, _options.PoisonBlobThreshold);
            var metadata = new Dictionary<string, string> { [FailureCountKey] = failures.ToString(CultureInfo.InvariantCulture) };
            if (failures >= _options.PoisonBlobThreshold)
            {
                await ReportPoisonAsync(blob.Name, etag, settleTimeout.Token).ConfigureAwait(false);
                metadata[PoisonedKey] = "true";
                _done[blob.Name] = etag;
                _logger.BlobPoisoned(ContainerName, blob.Name, version, failures, FunctionName, PoisonQueueName);
            }
            else
            {
                metadata[IncompleteKey] = "true";
            }

            await CompleteAsync(receipt, lease, metadata, settleTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A deleted azure-webjobs-hosts container is created again on the next use.
            _storage.NoteFailure(e);
            _logger.BlobReceiptFailed(ContainerName, blob.Name, version, FunctionName, e.Message);
        }
    }

    private async Task<Exception?> RunHandlerAsync(BlobClient blob, BlobProperties current, int failures, BlobLeaseLock lease, CancellationToken handlerToken)
    {
        using CancellationTokenSource invocation = _runtime.StartInvocation(handlerToken);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(invocation.Token, lease.Lost);
        try
        {
            await using AsyncServiceScope scope = _scopes.CreateAsyncScope();
            IBlobFunction handler = _createHandler(scope.ServiceProvider);
            await handler.RunAsync(new BlobTriggerContext
            {
                FunctionName = FunctionName,
                Blob = blob,
                ETag = Version(current.ETag),
                LastModified = current.LastModified,
                ContentLength = current.ContentLength,
                Metadata = new Dictionary<string, string>(current.Metadata, StringComparer.OrdinalIgnoreCase),
                FailureCount = failures,
            }, linked.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException e) when (invocation.IsCancellationRequested && !handlerToken.IsCancellationRequested)
        {
            return new TimeoutException($"The function ran longer than functionTimeout {_runtime.FunctionTimeout} and was cancelled.", e);
        }
        catch (Exception e)
        {
            return e;
        }
    }

    // Writes the receipt's metadata under the lease: no "Incomplete" key means done, as in WebJobs' receipts.
    private static Task CompleteAsync(BlobClient receipt, BlobLeaseLock lease, Dictionary<string, string> metadata, CancellationToken cancellationToken) =>
        receipt.SetMetadataAsync(metadata, new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken);

    private async Task ReportPoisonAsync(string blobName, ETag etag, CancellationToken cancellationToken)
    {
        // The message Functions writes for a poison blob (BlobTriggerMessage), so existing tooling can read it.
        string message = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Type"] = "BlobTrigger",
            ["FunctionId"] = _storage.HostId + "." + FunctionName,
            ["BlobType"] = "BlockBlob",
            ["ContainerName"] = ContainerName,
            ["BlobName"] = blobName,
            ["ETag"] = etag.ToString(),
        });
        var queue = _storage.Queues.GetQueueClient(PoisonQueueName);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool IsComplete(BlobProperties receipt) =>
        !(receipt.Metadata.TryGetValue(IncompleteKey, out string? incomplete) && string.Equals(incomplete, "true", StringComparison.OrdinalIgnoreCase));

    private static async Task<BlobProperties?> TryGetPropertiesAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
