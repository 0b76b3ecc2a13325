using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage.Authentication;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>The Blob service of one storage account: hands out <see cref="BlobContainerClient"/>s. Async-only, thread-safe.</summary>
public class BlobServiceClient
{
    private readonly StoragePipeline _pipeline = null!;

    /// <summary>Connects with a connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    public BlobServiceClient(string connectionString, BlobClientOptions? options = null)
        : this(CreatePipeline(StorageConnectionString.Parse(connectionString), options))
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/>, signing with the account key.</summary>
    public BlobServiceClient(Uri endpoint, StorageSharedKeyCredential credential, BlobClientOptions? options = null)
        : this(CreatePipeline(endpoint, new StorageSharedKeyPolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options))
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/> with an Entra ID token for <c>https://storage.azure.com/.default</c>.</summary>
    public BlobServiceClient(Uri endpoint, TokenCredential credential, BlobClientOptions? options = null)
        : this(CreatePipeline(endpoint, StoragePipeline.Bearer(credential), options))
    {
    }

    /// <summary>For mocking.</summary>
    protected BlobServiceClient()
    {
    }

    private BlobServiceClient(StoragePipeline pipeline) => _pipeline = pipeline;

    /// <summary>The Blob service endpoint.</summary>
    public virtual Uri Uri => _pipeline.Endpoint;

    /// <summary>A client for one container (no request is sent).</summary>
    /// <exception cref="ArgumentException">The container name breaks the naming rules.</exception>
    public virtual BlobContainerClient GetBlobContainerClient(string containerName) => new(_pipeline, containerName);

    internal static StoragePipeline CreatePipeline(StorageConnectionString connection, BlobClientOptions? options) =>
        CreatePipeline(connection.BlobEndpoint, new StorageSharedKeyPolicy(connection.RequireCredential()), options);

    internal static StoragePipeline CreatePipeline(Uri endpoint, HttpPipelinePolicy authentication, BlobClientOptions? options)
    {
        options ??= new BlobClientOptions();
        return StoragePipeline.Create(endpoint, options, options.Version, authentication);
    }
}
