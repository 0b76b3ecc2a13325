using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using StoFunctions.Azure.Storage.Blobs;
using StoFunctions.Azure.Storage.Queues;
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
    /// <c>AzureWebJobsStorage</c>: a connection string, or an identity-based connection
    /// (<c>{setting}__accountName</c> or <c>__blobServiceUri</c>/<c>__queueServiceUri</c>, with
    /// <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity).
    /// </summary>
    internal static Clients Open(IConfiguration configuration, string setting, QueueMessageEncoding encoding)
    {
        var encoded = new QueueClientOptions { MessageEncoding = encoding };
        var raw = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        string? connection = configuration[setting] ?? configuration["ConnectionStrings:" + setting];
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return new Clients(new BlobServiceClient(connection), new QueueServiceClient(connection, encoded), new QueueServiceClient(connection, raw));
        }

        IConfigurationSection identity = configuration.GetSection(setting);
        string? account = identity["accountName"];
        Uri? blobUri = Endpoint(identity["blobServiceUri"], account, "blob");
        Uri? queueUri = Endpoint(identity["queueServiceUri"], account, "queue");
        if (blobUri is null || queueUri is null)
        {
            throw new InvalidOperationException($"The setting '{setting}' is empty, so the queue, blob and timer triggers have no storage. Set it to a connection string (\"UseDevelopmentStorage=true\" for Azurite) in local.settings.json Values or the environment, or use an identity: {setting}__accountName (or {setting}__blobServiceUri and {setting}__queueServiceUri), {setting}__credential=managedidentity, {setting}__clientId.");
        }

        TokenCredential credential = string.Equals(identity["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(identity["clientId"] is { Length: > 0 } clientId ? ManagedIdentityId.FromUserAssignedClientId(clientId) : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
        return new Clients(new BlobServiceClient(blobUri, credential), new QueueServiceClient(queueUri, credential, encoded), new QueueServiceClient(queueUri, credential, raw));
    }

    private static Uri? Endpoint(string? serviceUri, string? account, string service) =>
        !string.IsNullOrEmpty(serviceUri) ? new Uri(serviceUri)
        : !string.IsNullOrEmpty(account) ? new Uri($"https://{account}.{service}.core.windows.net")
        : null;

    internal sealed record Clients(BlobServiceClient Blobs, QueueServiceClient Queues, QueueServiceClient RawQueues);
}
