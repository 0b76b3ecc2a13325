using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using StoFunctions.Pipeline.Outages;

namespace StoFunctions.Runtime;

/// <summary>
/// Runs one blob function over a container with the Functions blob trigger's guarantees (research/azure.md
/// §4.1): each blob version (ETag) runs once across instances and restarts, tracked by a receipt blob
/// <c>azure-webjobs-hosts/blobreceipts/{hostId}/{function}/{etag}/{container}/{blob}</c> that is created
/// pending (metadata <c>Incomplete=true</c>), leased while the handler runs, and completed on success. Failures
/// are counted on the receipt; at <c>poisonBlobThreshold</c> the version is reported to the queue
/// <c>webjobs-blobtrigger-poison</c> and closed. Discovery lists the container every
/// <c>blobPollingInterval</c>. Registered by <see cref="TriggerFunctionExtensions.AddBlobFunction{THandler}"/>.
/// </summary>
public sealed partial class BlobListener : BackgroundService
{
    /// <summary>The queue poisoned blob versions are reported to (Functions' name).</summary>
    public const string PoisonQueueName = "webjobs-blobtrigger-poison";

    // WebJobs' BlobTriggerExecutor leases receipts for 30 s; renewed while the handler runs.
    private static readonly TimeSpan s_receiptLease = TimeSpan.FromSeconds(30);
    private readonly Func<IServiceProvider, IBlobFunction> _createHandler;
    private readonly BlobFunctionOptions _function;
    private readonly IServiceScopeFactory _scopes;
    private readonly TriggerStorage _storage;
    private readonly BlobsOptions _options;
    private readonly TriggerRuntimeOptions _runtime;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ETag> _done = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ETag> _running = new(StringComparer.Ordinal);

    internal BlobListener(string functionName, Func<IServiceProvider, IBlobFunction> createHandler, BlobFunctionOptions function, IServiceScopeFactory scopes, TriggerStorage storage, BlobsOptions options, TriggerRuntimeOptions runtime, ILogger<BlobListener> logger)
    {
        FunctionName = functionName;
        _createHandler = createHandler;
        _function = function;
        _scopes = scopes;
        _storage = storage;
        _options = options;
        _runtime = runtime;
        _logger = logger;
    }

    /// <summary>The function's name (part of every receipt's path).</summary>
    public string FunctionName { get; }

    /// <summary>The container watched.</summary>
    public string ContainerName => _function.Container;

    /// <summary>
    /// A blob version as this listener keeps it: the ETag without quotes. The SDK gives a listed ETag unquoted and a
    /// response header's quoted; unquoted both compare equal, and receipt names and distribution idempotency keys stay
    /// what they were before the SDK.
    /// </summary>
    internal static ETag Version(ETag? etag) => new((etag?.ToString() ?? string.Empty).Trim('"'));

    /// <summary>The receipt blob name for a blob version (ETag before the name, so names with '/' stay unambiguous, as in WebJobs).</summary>
    public static string ReceiptName(string hostId, string functionName, string containerName, string blobName, ETag etag) =>
        $"blobreceipts/{hostId}/{functionName}/{etag}/{containerName}/{blobName}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        BlobContainerClient container = _storage.Blobs.GetBlobContainerClient(ContainerName);
        using var work = new InFlightWork();
        using var slots = new SemaphoreSlim(_options.MaxDegreeOfParallelism);
        _logger.BlobListenerStarted(FunctionName, ContainerName, _function.Prefix ?? string.Empty, _runtime.BlobPollingInterval);
        bool containerExists = false;
        var outage = new OutageBackoff($"Blob function {FunctionName} listing container {ContainerName}", _logger, TimeSpan.FromMilliseconds(500), QueueListener.OutageRetryLimit(_runtime.BlobPollingInterval));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan delay = _runtime.BlobPollingInterval;
                try
                {
                    if (!containerExists)
                    {
                        await container.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        containerExists = true;
                    }

                    var listed = new HashSet<string>(StringComparer.Ordinal);
                    await foreach (BlobItem item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, _function.Prefix, stoppingToken).ConfigureAwait(false))
                    {
                        listed.Add(item.Name);
                        if ((_done.TryGetValue(item.Name, out ETag done) && done == Version(item.Properties.ETag)) || _function.Exclude?.Invoke(item.Name) == true)
                        {
                            continue;
                        }

                        if (!_running.TryAdd(item.Name, Version(item.Properties.ETag)))
                        {
                            continue;
                        }

                        await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                        work.Run(async handlerToken =>
                        {
                            try
                            {
                                await ProcessAsync(container.GetBlobClient(item.Name), Version(item.Properties.ETag), handlerToken).ConfigureAwait(false);
                            }
                            finally
                            {
                                _running.TryRemove(item.Name, out _);
                                slots.Release();
                            }
                        });
                    }

                    // Forget deleted blobs, so the cache of handled versions stays the size of the container.
                    foreach (string name in _done.Keys.Where(name => !listed.Contains(name)).ToList())
                    {
                        _done.TryRemove(name, out _);
                    }

                    outage.Succeeded();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Any failure only delays the next listing (with backoff, logged once per outage); a deleted
                    // container is created again.
                    containerExists &= !(DependencyFailure.IsMissingResource(e) || e is RequestFailedException { Status: 404 });
                    delay = outage.Failed(e);
                }

                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        int cancelled = await work.DrainAsync(_runtime.ShutdownGracePeriod).ConfigureAwait(false);
        _logger.BlobListenerStopped(FunctionName, ContainerName, cancelled);
    }
}
