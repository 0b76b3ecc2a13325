using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage.Authentication;

namespace StoFunctions.Azure.Storage.Queues;

/// <summary>
/// One queue: create/delete, send, receive, peek, update and delete messages, count and clear. Shaped like
/// Azure.Storage.Queues' <c>QueueClient</c> but async-only. Thread-safe. Bodies are base64 by default, as
/// the Azure Functions queue trigger expects.
/// </summary>
public partial class QueueClient
{
    /// <summary>Pass as time-to-live for a message that never expires (messagettl=-1).</summary>
    public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>The largest MessageText the service accepts, in UTF-8 bytes after encoding.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The most messages one receive or peek returns.</summary>
    public const int MaxMessagesPerCall = 32;

    private static readonly TimeSpan s_maxVisibility = TimeSpan.FromDays(7);

    private readonly StoragePipeline _pipeline = null!;
    private readonly QueueMessageEncoding _encoding;

    /// <summary>Connects with a connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    /// <exception cref="ArgumentException">The queue name is invalid.</exception>
    public QueueClient(string connectionString, string queueName, QueueClientOptions? options = null)
        : this(CreatePipeline(StorageConnectionString.Parse(connectionString), options ??= new QueueClientOptions()), queueName, options.MessageEncoding)
    {
    }

    /// <summary>Connects to the Queue service <paramref name="endpoint"/>, signing with the account key.</summary>
    public QueueClient(Uri endpoint, string queueName, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
        : this(CreatePipeline(endpoint, new StorageSharedKeyPolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options ??= new QueueClientOptions()), queueName, options.MessageEncoding)
    {
    }

    /// <summary>Connects to the Queue service <paramref name="endpoint"/> with an Entra ID token.</summary>
    public QueueClient(Uri endpoint, string queueName, TokenCredential credential, QueueClientOptions? options = null)
        : this(CreatePipeline(endpoint, StoragePipeline.Bearer(credential), options ??= new QueueClientOptions()), queueName, options.MessageEncoding)
    {
    }

    /// <summary>For mocking.</summary>
    protected QueueClient()
    {
        Name = string.Empty;
    }

    internal QueueClient(StoragePipeline pipeline, string queueName, QueueMessageEncoding encoding)
    {
        ResourceNameRules.Lowercase(queueName, "Queue", nameof(queueName));
        _pipeline = pipeline;
        _encoding = encoding;
        Name = queueName;
    }

    /// <summary>The queue name.</summary>
    public virtual string Name { get; }

    /// <summary>Creates the queue; an existing queue is success.</summary>
    public virtual async Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Put, Name);
        return await _pipeline.SendAsync(message, cancellationToken, 201, 204).ConfigureAwait(false);
    }

    /// <summary>Deletes the queue and its messages; a missing queue is success (404 returned).</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Delete, Name);
        return await _pipeline.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
    }

    /// <summary>Reads the approximate message count and metadata.</summary>
    public virtual async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Get, Name);
        message.Request.Uri.AppendQuery("comp", "metadata");
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-approximate-messages-count", out string? count);
        var metadata = response.Headers
            .Where(h => h.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Name["x-ms-meta-".Length..], h => h.Value, StringComparer.OrdinalIgnoreCase);
        return Response.FromValue(new QueueProperties
        {
            ApproximateMessagesCount = int.Parse(count ?? "0", CultureInfo.InvariantCulture),
            Metadata = metadata,
        }, response);
    }

    /// <summary>Deletes every message in the queue.</summary>
    public virtual async Task<Response> ClearMessagesAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Delete, Name + "/messages");
        return await _pipeline.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
    }

    internal static StoragePipeline CreatePipeline(StorageConnectionString connection, QueueClientOptions options) =>
        CreatePipeline(connection.QueueEndpoint, new StorageSharedKeyPolicy(connection.RequireCredential()), options);

    internal static StoragePipeline CreatePipeline(Uri endpoint, HttpPipelinePolicy authentication, QueueClientOptions options) =>
        StoragePipeline.Create(endpoint, options, options.Version, authentication);

    private static XElement ParseXml(Response response) => XDocument.Parse(response.Content.ToString()).Root!;

    private static DateTimeOffset Time(XElement element, string name) =>
        element.Element(name) is { } child
            ? DateTimeOffset.Parse(child.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : default;

    private static string Seconds(TimeSpan value) =>
        ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
