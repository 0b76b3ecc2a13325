using Microsoft.Extensions.Options;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Pipeline.Outages;

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
        _clients = new Lazy<Clients>(() => Open(configuration, runtime.Value.StorageConnection, queues.Value.MessageEncoding));
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
                    await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Called with a storage failure: when it says the control container does not exist (deleted while the app
    /// ran), the next <see cref="HostBlobAsync"/> creates it again instead of failing forever.
    /// </summary>
    public void NoteFailure(Exception failure)
    {
        if (DependencyFailure.IsMissingResource(failure))
        {
            _hostsCreated = false;
        }
    }

    /// <summary>
    /// Opens the account named by <paramref name="setting"/> the way the Functions host reads
    /// <c>AzureWebJobsStorage</c> (<see cref="StorageAccount.FromConfiguration"/>): a connection string or an
    /// identity-based connection. Queues are encoded per <paramref name="encoding"/>; RawQueues are verbatim.
    /// </summary>
    internal static Clients Open(IConfiguration configuration, string setting, QueueMessageEncoding encoding)
    {
        StorageAccount account = StorageAccount.FromConfiguration(configuration, setting);
        return new Clients(account.Blobs, account.OpenQueues(encoding), account.RawQueues);
    }

    internal sealed record Clients(BlobServiceClient Blobs, QueueServiceClient Queues, QueueServiceClient RawQueues);
}
