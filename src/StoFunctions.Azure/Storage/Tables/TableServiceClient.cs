using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage.Authentication;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// The Table service of one storage account: hands out <see cref="TableClient"/>s and creates/deletes tables.
/// Async-only; thread-safe and immutable, so share one instance.
/// </summary>
public class TableServiceClient
{
    private readonly StoragePipeline _pipeline = null!;

    /// <summary>Connects with a connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    public TableServiceClient(string connectionString, TableClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), options ?? new TableClientOptions())
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/> signing with the account key.</summary>
    public TableServiceClient(Uri endpoint, StorageSharedKeyCredential credential, TableClientOptions? options = null)
        : this(endpoint, new TableSharedKeyLitePolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    /// <summary>Connects to <paramref name="endpoint"/> with an Entra ID token for <c>https://storage.azure.com/.default</c>.</summary>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
        : this(endpoint, StoragePipeline.Bearer(credential), options)
    {
    }

    /// <summary>For mocking.</summary>
    protected TableServiceClient()
    {
    }

    private TableServiceClient(StorageConnectionString connection, TableClientOptions options)
        : this(connection.TableEndpoint, new TableSharedKeyLitePolicy(connection.RequireCredential()), options)
    {
    }

    private TableServiceClient(Uri endpoint, HttpPipelinePolicy authentication, TableClientOptions? options)
    {
        options ??= new TableClientOptions();
        _pipeline = StoragePipeline.Create(endpoint, options, options.Version, authentication);
    }

    /// <summary>The Table service endpoint.</summary>
    public virtual Uri Uri => _pipeline.Endpoint;

    /// <summary>A client for one table (no request is sent).</summary>
    /// <exception cref="ArgumentException">The table name breaks the service's naming rules.</exception>
    public virtual TableClient GetTableClient(string tableName) => new(_pipeline, tableName);

    /// <summary>Creates the table unless it exists.</summary>
    public virtual Task<Response> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).CreateIfNotExistsAsync(cancellationToken);

    /// <summary>Deletes the table; a missing table is not an error.</summary>
    public virtual Task<Response> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).DeleteAsync(cancellationToken);
}
