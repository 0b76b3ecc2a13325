using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace StoFunctions.Azure.Storage;

/// <summary>
/// The official Table, Blob and Queue clients of one storage account, opened the way Azure Functions resolves a
/// connection setting such as <c>AzureWebJobsStorage</c>: a connection string (<c>UseDevelopmentStorage=true</c>
/// for Azurite), or an identity-based connection (<c>{setting}__accountName</c>, or the service URIs
/// <c>__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c>, with <c>DefaultAzureCredential</c>,
/// or <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity).
/// </summary>
public sealed class StorageAccount
{
    /// <summary>
    /// The Blob and Queue service version every client sends: the newest Azurite 3.37 accepts (the SDKs' default,
    /// 2026-10-06, is refused by it) and one the service supports. Tables send their own fixed 2019-02-02.
    /// </summary>
    public const BlobClientOptions.ServiceVersion BlobVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    /// <inheritdoc cref="BlobVersion"/>
    public const QueueClientOptions.ServiceVersion QueueVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    private readonly Func<QueueClientOptions, QueueServiceClient> _queues;

    private StorageAccount(TableServiceClient tables, BlobServiceClient blobs, Func<QueueClientOptions, QueueServiceClient> queues, TokenCredential? credential, StorageTransport transport)
    {
        Tables = tables;
        Blobs = blobs;
        _queues = queues;
        Credential = credential;
        _transport = transport;
        Queues = OpenQueues(QueueMessageEncoding.Base64);
        RawQueues = OpenQueues(QueueMessageEncoding.None);
    }

    private readonly StorageTransport _transport;

    /// <summary>Tables of the account.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>Blobs of the account.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>Queues whose bodies are Base64 text, the wire format of Azure Functions' queue trigger and output.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>Queues whose message text is sent and read verbatim.</summary>
    public QueueServiceClient RawQueues { get; }

    /// <summary>The credential of an identity-based connection; null for a connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>Queues with the given body encoding.</summary>
    public QueueServiceClient OpenQueues(QueueMessageEncoding encoding)
    {
        var options = new QueueClientOptions(QueueVersion) { MessageEncoding = encoding };
        _transport.Apply(options);
        return _queues(options);
    }

    /// <summary>Opens the account of a connection string.</summary>
    public static StorageAccount FromConnectionString(string connectionString, StorageTransport? transport = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        transport ??= StorageTransport.Default;
        return new StorageAccount(
            new TableServiceClient(connectionString, transport.Apply(new TableClientOptions())),
            new BlobServiceClient(connectionString, transport.Apply(new BlobClientOptions(BlobVersion))),
            options => new QueueServiceClient(connectionString, options),
            null,
            transport);
    }

    /// <summary>
    /// Opens the account named by <paramref name="setting"/>: <c>{setting}</c> or <c>ConnectionStrings:{setting}</c>
    /// as a connection string, else the identity-based settings under <c>{setting}:</c> (<c>{setting}__…</c> in the
    /// environment). <paramref name="credential"/> replaces the credential those settings would build (tests).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither a connection string nor an account or service URIs are set.</exception>
    public static StorageAccount FromConfiguration(IConfiguration configuration, string setting = "AzureWebJobsStorage", TokenCredential? credential = null, StorageTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? connection = configuration[setting] ?? configuration["ConnectionStrings:" + setting];
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return FromConnectionString(connection, transport);
        }

        IConfigurationSection identity = configuration.GetSection(setting);
        string? account = identity["accountName"];
        Uri? blobUri = Endpoint(identity["blobServiceUri"], account, "blob");
        Uri? queueUri = Endpoint(identity["queueServiceUri"], account, "queue");
        Uri? tableUri = Endpoint(identity["tableServiceUri"], account, "table");
        if (blobUri is null || queueUri is null || tableUri is null)
        {
            throw new InvalidOperationException(
                $"The storage setting '{setting}' is empty and its identity-based settings name no account (accountName '{account}', blobServiceUri '{identity["blobServiceUri"]}', queueServiceUri '{identity["queueServiceUri"]}', tableServiceUri '{identity["tableServiceUri"]}'). " +
                $"Set {setting} to a connection string (\"UseDevelopmentStorage=true\" for Azurite) in local.settings.json Values or the environment, or use an identity: {setting}__accountName " +
                $"(or {setting}__blobServiceUri, {setting}__queueServiceUri and {setting}__tableServiceUri), optionally {setting}__credential=managedidentity and {setting}__clientId.");
        }

        credential ??= BuildCredential(identity);
        transport ??= StorageTransport.Default;
        return new StorageAccount(
            new TableServiceClient(tableUri, credential, transport.Apply(new TableClientOptions())),
            new BlobServiceClient(blobUri, credential, transport.Apply(new BlobClientOptions(BlobVersion))),
            options => new QueueServiceClient(queueUri, credential, options),
            credential,
            transport);
    }

    /// <summary>True when <paramref name="setting"/> holds a connection string or names an account or a service URI.</summary>
    public static bool IsConfigured(IConfiguration configuration, string setting = "AzureWebJobsStorage")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection identity = configuration.GetSection(setting);
        return new[] { configuration[setting], configuration["ConnectionStrings:" + setting], identity["accountName"], identity["blobServiceUri"], identity["queueServiceUri"], identity["tableServiceUri"] }
            .Any(value => !string.IsNullOrWhiteSpace(value));
    }

    private static TokenCredential BuildCredential(IConfigurationSection identity)
    {
        string? clientId = identity["clientId"];
        if (string.Equals(identity["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(clientId is { Length: > 0 } ? ManagedIdentityId.FromUserAssignedClientId(clientId) : ManagedIdentityId.SystemAssigned);
        }

        // Functions passes __clientId to DefaultAzureCredential too, as the managed identity it tries.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId is { Length: > 0 } ? clientId : null });
    }

    private static Uri? Endpoint(string? serviceUri, string? account, string service) =>
        !string.IsNullOrEmpty(serviceUri) ? new Uri(serviceUri)
        : !string.IsNullOrEmpty(account) ? new Uri($"https://{account}.{service}.core.windows.net")
        : null;
}
