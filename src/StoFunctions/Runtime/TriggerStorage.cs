using Microsoft.Extensions.Options;
using StoFunctions.Azure.Storage.Blobs;
using StoFunctions.Azure.Storage.Queues;

namespace StoFunctions.Runtime;

/// <summary>
/// The storage account the triggers run on (the <c>AzureWebJobsStorage</c> setting), opened on first use so
/// an app without trigger functions needs no storage. Holds the control container <c>azure-webjobs-hosts</c>
/// where locks, blob receipts and timer status live, under the names the Functions host uses.
/// </summary>
internal sealed class TriggerStorage
{
    /// <summary>The Functions host's control container.</summary>
    public const string HostsContainer = "azure-webjobs-hosts";

    private readonly Lazy<Clients> _clients;
    private readonly SemaphoreSlim _hostsGate = new(1, 1);
    private bool _hostsCreated;

    public TriggerStorage(IConfiguration configuration, IOptions<TriggerRuntimeOptions> runtime, IOptions<QueuesOptions> queues)
    {
        HostId = runtime.Value.HostId;
        _clients = new Lazy<Clients>(() =>
        {
            string setting = runtime.Value.StorageConnection;
            string? connection = configuration[setting] ?? configuration["ConnectionStrings:" + setting];
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new InvalidOperationException($"The setting '{setting}' is empty, so the queue, blob and timer triggers have no storage. Set it in local.settings.json Values (\"UseDevelopmentStorage=true\" for Azurite) or the environment.");
            }

            return new Clients(
                new BlobServiceClient(connection),
                new QueueServiceClient(connection, new QueueClientOptions { MessageEncoding = queues.Value.MessageEncoding }),
                new QueueServiceClient(connection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }));
        });
    }

    public string HostId { get; }

    /// <summary>Opens the clients now, so a missing or malformed connection setting stops the host at start instead of failing every poll.</summary>
    public void EnsureConfigured() => _ = _clients.Value;

    public BlobServiceClient Blobs => _clients.Value.Blobs;

    /// <summary>Queues whose bodies are encoded per host.json <c>messageEncoding</c>.</summary>
    public QueueServiceClient Queues => _clients.Value.Queues;

    /// <summary>Queues written verbatim: a poisoned message is copied with its original MessageText.</summary>
    public QueueServiceClient RawQueues => _clients.Value.RawQueues;

    /// <summary>A blob in <c>azure-webjobs-hosts</c>, creating the container on first use.</summary>
    public async Task<BlobClient> HostBlobAsync(string name, CancellationToken cancellationToken)
    {
        BlobContainerClient container = Blobs.GetBlobContainerClient(HostsContainer);
        if (!_hostsCreated)
        {
            await _hostsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_hostsCreated)
                {
                    await container.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                    _hostsCreated = true;
                }
            }
            finally
            {
                _hostsGate.Release();
            }
        }

        return container.GetBlobClient(name);
    }

    private sealed record Clients(BlobServiceClient Blobs, QueueServiceClient Queues, QueueServiceClient RawQueues);
}
