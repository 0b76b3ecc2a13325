using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage.Authentication;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// One table: create/delete, entity CRUD with ETag concurrency, paged queries and entity-group transactions.
/// Shaped like Azure.Data.Tables' <c>TableClient</c> but async-only. Thread-safe; arguments that break
/// service limits (table name, keys, property count and sizes) throw before any request is sent.
/// </summary>
public partial class TableClient
{
    private const string JsonAccept = "application/json;odata=minimalmetadata";

    private readonly StoragePipeline _pipeline = null!;

    /// <summary>Connects with a connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    /// <exception cref="ArgumentException">The table name is invalid.</exception>
    public TableClient(string connectionString, string tableName, TableClientOptions? options = null)
        : this(CreatePipeline(StorageConnectionString.Parse(connectionString), options), tableName)
    {
    }

    /// <summary>Connects to the Table service <paramref name="endpoint"/>, signing with the account key.</summary>
    public TableClient(Uri endpoint, string tableName, StorageSharedKeyCredential credential, TableClientOptions? options = null)
        : this(CreatePipeline(endpoint, new TableSharedKeyLitePolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options), tableName)
    {
    }

    /// <summary>Connects to the Table service <paramref name="endpoint"/> with an Entra ID token.</summary>
    public TableClient(Uri endpoint, string tableName, TokenCredential credential, TableClientOptions? options = null)
        : this(CreatePipeline(endpoint, StoragePipeline.Bearer(credential), options), tableName)
    {
    }

    /// <summary>For mocking.</summary>
    protected TableClient()
    {
        Name = string.Empty;
    }

    internal TableClient(StoragePipeline pipeline, string tableName)
    {
        TableValidation.TableName(tableName);
        _pipeline = pipeline;
        Name = tableName;
    }

    /// <summary>The table name.</summary>
    public virtual string Name { get; }

    /// <summary>Creates the table; an existing table is success (the 409 response is returned).</summary>
    public virtual async Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJson(message, Encoding.UTF8.GetBytes($"{{\"TableName\":\"{Name}\"}}"));
        return await _pipeline.SendAsync(message, cancellationToken, 201, 204, 409).ConfigureAwait(false);
    }

    /// <summary>Deletes the table; a missing table is success (the 404 response is returned).</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Delete, $"Tables('{Name}')");
        return await _pipeline.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
    }

    internal static string EntityPath(string tableName, string partitionKey, string rowKey) =>
        $"{tableName}(PartitionKey='{KeyLiteral(partitionKey)}',RowKey='{KeyLiteral(rowKey)}')";

    // Quotes in key literals are doubled, then the whole literal is percent-encoded.
    private static string KeyLiteral(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private HttpMessage CreateMessage(RequestMethod method, string rawPath)
    {
        HttpMessage message = _pipeline.CreateMessage(method, rawPath);
        message.Request.Headers.SetValue("Accept", JsonAccept);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0;");
        message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static void SetJson(HttpMessage message, byte[] body)
    {
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(body);
    }

    private static StoragePipeline CreatePipeline(StorageConnectionString connection, TableClientOptions? options) =>
        CreatePipeline(connection.TableEndpoint, new TableSharedKeyLitePolicy(connection.RequireCredential()), options);

    private static StoragePipeline CreatePipeline(Uri endpoint, HttpPipelinePolicy authentication, TableClientOptions? options)
    {
        options ??= new TableClientOptions();
        return StoragePipeline.Create(endpoint, options, options.Version, authentication);
    }
}
