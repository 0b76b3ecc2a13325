using System.Globalization;
using DurableTask.AzureStorage;
using StoFunctions.Azure.Storage;

namespace StoFunctions.LocalHost.Durable;

/// <summary>
/// The task hub on <c>AzureWebJobsStorage</c>: Durable Functions' Azure Storage backend (DTFx
/// <see cref="AzureStorageOrchestrationService"/>), shared by the worker (<see cref="DurableTaskHost"/>) and the
/// client (<see cref="TaskHubDurableClient"/>). <see cref="WhenReadyAsync"/> completes once the hub's queues,
/// tables and containers exist, so a function scheduling during startup waits instead of failing.
/// </summary>
internal sealed class DurableBackend : IDisposable
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DurableBackend(IConfiguration configuration, DurableTaskOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        StorageAccount account = StorageAccount.FromConfiguration(configuration);
        StorageAccountClientProvider storage = account.Credential is { } credential
            ? new StorageAccountClientProvider(account.Blobs.Uri, account.Queues.Uri, account.Tables.Uri, credential)
            : new StorageAccountClientProvider(configuration["AzureWebJobsStorage"]!);
        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = storage,
            TaskHubName = options.HubName,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestratorFunctions,
            // Unique per process: two local hosts on one storage (or a restart beside a dead one) must not
            // both believe they own a partition. A killed host's partitions move after its lease runs out.
            WorkerId = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"),
            LeaseInterval = TimeSpan.FromSeconds(15),
            // Messages a killed host had dequeued come back after this (DTFx default 5 min, which stalled a command's
            // orchestration that long after a kill -9); live work items renew their lock well within it.
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),
            // The app lease serves blue/green swaps of one deployment; local hosts of one storage are one app.
            UseAppLease = false,
            LoggerFactory = loggerFactory,
        });
    }

    /// <summary>The host.json settings the backend was made with.</summary>
    public DurableTaskOptions Options { get; }

    /// <summary>The backend.</summary>
    public AzureStorageOrchestrationService Service { get; }

    /// <summary>Completes once the task hub exists.</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Creates the task hub's storage if needed and releases the waiters.</summary>
    public async Task CreateAsync()
    {
        await Service.CreateIfNotExistsAsync().ConfigureAwait(false);
        _ready.TrySetResult();
    }

    public void Dispose() => Service.Dispose();
}
