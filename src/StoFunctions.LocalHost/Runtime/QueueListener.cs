using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Pipeline.Outages;

namespace StoFunctions.Runtime;

/// <summary>
/// Runs one queue function with the Azure Functions queue trigger's semantics (research/azure.md §3.1):
/// randomized exponential polling backoff from 100 ms to <c>maxPollingInterval</c>, batches of
/// <c>batchSize</c> fetched again once in-flight work falls to <c>newBatchThreshold</c>, one concurrent
/// invocation per message with its visibility renewed while it runs, delete on success, retry after
/// <c>visibilityTimeout</c> on failure, and <c>&lt;queue&gt;-poison</c> after <c>maxDequeueCount</c> attempts.
/// Registered by <see cref="TriggerFunctionExtensions.AddQueueFunction{THandler}"/>.
/// </summary>
public sealed partial class QueueListener : BackgroundService
{
    /// <summary>The suffix of a queue's poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    private const int MaxQueueNameLength = 63;
    private static readonly TimeSpan s_settleTimeout = TimeSpan.FromSeconds(30);
    private readonly Func<IServiceProvider, IQueueFunction> _createHandler;
    private readonly IServiceScopeFactory _scopes;
    private readonly TriggerStorage _storage;
    private readonly QueuesOptions _options;
    private readonly TriggerRuntimeOptions _runtime;
    private readonly ILogger _logger;
    private bool _poisonQueueCreated;

    internal QueueListener(string functionName, string queueName, Func<IServiceProvider, IQueueFunction> createHandler, IServiceScopeFactory scopes, TriggerStorage storage, QueuesOptions options, TriggerRuntimeOptions runtime, ILogger<QueueListener> logger)
    {
        FunctionName = functionName;
        QueueName = queueName;
        _createHandler = createHandler;
        _scopes = scopes;
        _storage = storage;
        _options = options;
        _runtime = runtime;
        _logger = logger;
        // WebJobs gives no poison queue to a poison queue, nor to a name with no room for the suffix.
        PoisonQueueName = queueName.EndsWith(PoisonSuffix, StringComparison.Ordinal) || queueName.Length + PoisonSuffix.Length > MaxQueueNameLength
            ? null
            : queueName + PoisonSuffix;
    }

    /// <summary>The function's name (its handler type's name).</summary>
    public string FunctionName { get; }

    /// <summary>The queue polled.</summary>
    public string QueueName { get; }

    /// <summary>Where messages that cannot succeed go; null for a queue that has none.</summary>
    public string? PoisonQueueName { get; }

    /// <summary>The longest wait between two polls while polling fails: the polling maximum, but at least 10 s.</summary>
    internal static TimeSpan OutageRetryLimit(TimeSpan maxPollingInterval) =>
        maxPollingInterval > TimeSpan.FromSeconds(10) ? maxPollingInterval : TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Outside the loop: a configuration error stops the host; inside, storage errors only delay the next poll.
        // Received verbatim and decoded per messageEncoding here (ProcessAsync), so a body that is not Base64 is
        // poisoned like WebJobs does, and a poisoned message is copied with its text unchanged.
        QueueClient queue = _storage.RawQueues.GetQueueClient(QueueName);
        var backoff = new RandomizedExponentialBackoff(QueuesOptions.MinPollingInterval, _options.MaxPollingInterval);
        var outage = new OutageBackoff($"Polling queue {QueueName}", _logger, QueuesOptions.MinPollingInterval, OutageRetryLimit(_options.MaxPollingInterval));
        using var work = new InFlightWork();
        _logger.QueueListenerStarted(FunctionName, QueueName, _options.BatchSize, _options.EffectiveNewBatchThreshold, _options.MaxPollingInterval);
        bool queueExists = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await work.WaitUntilAtMostAsync(_options.EffectiveNewBatchThreshold, stoppingToken).ConfigureAwait(false);
                bool found = false;
                TimeSpan delay;
                try
                {
                    if (!queueExists)
                    {
                        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        queueExists = true;
                    }

                    IReadOnlyList<QueueMessage> messages = (await queue.ReceiveMessagesAsync(_options.BatchSize, _runtime.MessageLeaseDuration, stoppingToken).ConfigureAwait(false)).Value;
                    found = messages.Count > 0;
                    foreach (QueueMessage message in messages)
                    {
                        work.Run(handlerToken => ProcessAsync(queue, message, handlerToken));
                    }

                    outage.Succeeded();
                    delay = backoff.Next(found);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Any failure (the storage client throws AggregateException or TaskCanceledException once its own
                    // retries are spent) only delays the next poll; a deleted queue is created again.
                    queueExists &= !DependencyFailure.IsMissingResource(e);
                    delay = outage.Failed(e);
                }

                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        int cancelled = await work.DrainAsync(_runtime.ShutdownGracePeriod).ConfigureAwait(false);
        _logger.QueueListenerStopped(FunctionName, QueueName, cancelled);
    }
}
