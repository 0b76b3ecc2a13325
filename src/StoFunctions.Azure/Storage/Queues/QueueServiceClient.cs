using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage.Authentication;

namespace StoFunctions.Azure.Storage.Queues;

/// <summary>The Queue service of one storage account: hands out <see cref="QueueClient"/>s. Async-only, thread-safe.</summary>
public class QueueServiceClient
{
    private readonly StoragePipeline _pipeline = null!;
    private readonly QueueMessageEncoding _encoding;

    /// <summary>Connects with a connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    public QueueServiceClient(string connectionString, QueueClientOptions? options = null)
        : this(QueueClient.CreatePipeline(StorageConnectionString.Parse(connectionString), options ??= new QueueClientOptions()), options)
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/>, signing with the account key.</summary>
    public QueueServiceClient(Uri endpoint, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
        : this(QueueClient.CreatePipeline(endpoint, new StorageSharedKeyPolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options ??= new QueueClientOptions()), options)
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/> with an Entra ID token for <c>https://storage.azure.com/.default</c>.</summary>
    public QueueServiceClient(Uri endpoint, TokenCredential credential, QueueClientOptions? options = null)
        : this(QueueClient.CreatePipeline(endpoint, StoragePipeline.Bearer(credential), options ??= new QueueClientOptions()), options)
    {
    }

    /// <summary>For mocking.</summary>
    protected QueueServiceClient()
    {
    }

    private QueueServiceClient(StoragePipeline pipeline, QueueClientOptions options)
    {
        _pipeline = pipeline;
        _encoding = options.MessageEncoding;
    }

    /// <summary>The Queue service endpoint.</summary>
    public virtual Uri Uri => _pipeline.Endpoint;

    /// <summary>A client for one queue (no request is sent).</summary>
    /// <exception cref="ArgumentException">The queue name breaks the naming rules.</exception>
    public virtual QueueClient GetQueueClient(string queueName) => new(_pipeline, queueName, _encoding);
}
