using System.Text.RegularExpressions;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>
/// One block blob: upload (create-only or ETag-guarded overwrite), download, properties and metadata,
/// delete, and leases via <see cref="GetBlobLeaseClient"/>. Async-only, thread-safe.
/// </summary>
public partial class BlobClient
{
    private readonly StoragePipeline _pipeline = null!;
    private readonly string _path = string.Empty;

    /// <summary>Connects with a connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    public BlobClient(string connectionString, string containerName, string blobName, BlobClientOptions? options = null)
        : this(BlobServiceClient.CreatePipeline(StorageConnectionString.Parse(connectionString), options), containerName, blobName)
    {
    }

    /// <summary>For mocking.</summary>
    protected BlobClient()
    {
        BlobContainerName = Name = string.Empty;
    }

    internal BlobClient(StoragePipeline pipeline, string containerName, string blobName)
    {
        ResourceNameRules.Lowercase(containerName, "Container", nameof(containerName));
        ArgumentNullException.ThrowIfNull(blobName);
        if (blobName.Length is 0 or > 1024)
        {
            throw new ArgumentException($"Blob name must be 1–1024 characters, not {blobName.Length}.", nameof(blobName));
        }

        _pipeline = pipeline;
        BlobContainerName = containerName;
        Name = blobName;
        // Escape each segment but keep '/' so virtual directories stay readable in URLs and listings.
        _path = containerName + "/" + string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>The container name.</summary>
    public virtual string BlobContainerName { get; }

    /// <summary>The blob name.</summary>
    public virtual string Name { get; }

    /// <summary>A lease client for this blob; <paramref name="leaseId"/> defaults to a new GUID (the proposed id).</summary>
    public virtual BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) => new(this, leaseId ?? Guid.NewGuid().ToString("D"));

    /// <summary>
    /// Uploads the content as a block blob. Use <c>IfNoneMatch = ETag.All</c> to create only (409
    /// <c>BlobAlreadyExists</c> if present) or <c>IfMatch = etag</c> to overwrite only that version (412 <c>ConditionNotMet</c>).
    /// </summary>
    /// <exception cref="RequestFailedException">A condition failed, the blob is leased (412 <c>LeaseIdMissing</c>), or another error.</exception>
    public virtual async Task<Response<BlobInfo>> UploadAsync(BinaryData content, BlobRequestConditions? conditions = null, IDictionary<string, string>? metadata = null, string? contentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using HttpMessage message = CreateMessage(RequestMethod.Put);
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.SetValue("Content-Type", contentType ?? "application/octet-stream");
        SetMetadata(message.Request, metadata);
        BlobRequestConditions.Apply(message.Request, conditions);
        message.Request.Content = RequestContent.Create(content);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 201).ConfigureAwait(false);
        return Response.FromValue(BlobInfo.FromHeaders(response), response);
    }

    /// <summary>Downloads the content and the properties of the version read.</summary>
    /// <exception cref="RequestFailedException">404 <c>BlobNotFound</c>, a failed condition, or another error.</exception>
    public virtual async Task<Response<BlobDownloadResult>> DownloadContentAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Get);
        BlobRequestConditions.Apply(message.Request, conditions);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return Response.FromValue(new BlobDownloadResult { Content = response.Content, Details = BlobProperties.FromHeaders(response) }, response);
    }

    /// <summary>Reads properties and metadata (HEAD).</summary>
    /// <exception cref="RequestFailedException">404 <c>BlobNotFound</c>, or another error.</exception>
    public virtual async Task<Response<BlobProperties>> GetPropertiesAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Head);
        BlobRequestConditions.Apply(message.Request, conditions);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return Response.FromValue(BlobProperties.FromHeaders(response), response);
    }

    /// <summary>Whether the blob exists.</summary>
    public virtual async Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Head);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        return Response.FromValue(response.Status == 200, response);
    }

    /// <summary>Replaces the user metadata; changes the ETag.</summary>
    public virtual async Task<Response<BlobInfo>> SetMetadataAsync(IDictionary<string, string> metadata, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using HttpMessage message = CreateMessage(RequestMethod.Put);
        message.Request.Uri.AppendQuery("comp", "metadata");
        SetMetadata(message.Request, metadata);
        BlobRequestConditions.Apply(message.Request, conditions);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return Response.FromValue(BlobInfo.FromHeaders(response), response);
    }

    /// <summary>Deletes the blob.</summary>
    /// <exception cref="RequestFailedException">404 <c>BlobNotFound</c>, a failed condition, a lease (412), or another error.</exception>
    public virtual async Task<Response> DeleteAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Delete);
        BlobRequestConditions.Apply(message.Request, conditions);
        return await _pipeline.SendAsync(message, cancellationToken, 202).ConfigureAwait(false);
    }

    /// <summary>Deletes the blob if it exists; returns whether it did.</summary>
    public virtual async Task<Response<bool>> DeleteIfExistsAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Delete);
        BlobRequestConditions.Apply(message.Request, conditions);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 202, 404).ConfigureAwait(false);
        return Response.FromValue(response.Status == 202, response);
    }

    internal HttpMessage CreateMessage(RequestMethod method) => _pipeline.CreateMessage(method, _path);

    internal Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken, params int[] expected) =>
        _pipeline.SendAsync(message, cancellationToken, expected);

    private static void SetMetadata(Request request, IDictionary<string, string>? metadata)
    {
        foreach ((string name, string value) in metadata ?? new Dictionary<string, string>())
        {
            if (!MetadataName().IsMatch(name))
            {
                throw new ArgumentException($"Metadata name '{name}' is invalid: use a C#-style identifier (letters, digits, '_').", nameof(metadata));
            }

            if (value is null || value.Any(c => c > 0x7E || c < 0x20))
            {
                throw new ArgumentException($"Metadata '{name}' must be printable ASCII (HTTP header value); encode other text.", nameof(metadata));
            }

            request.Headers.SetValue("x-ms-meta-" + name, value);
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex MetadataName();
}
