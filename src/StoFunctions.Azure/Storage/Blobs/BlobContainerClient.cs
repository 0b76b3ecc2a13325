using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>One container: create/delete, list blobs by prefix with paging, and <see cref="BlobClient"/>s. Async-only, thread-safe.</summary>
public class BlobContainerClient
{
    /// <summary>The most blobs one list page returns.</summary>
    public const int MaxPageSize = 5000;

    private readonly StoragePipeline _pipeline = null!;

    /// <summary>Connects with a connection string (account key or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    /// <exception cref="ArgumentException">The container name is invalid.</exception>
    public BlobContainerClient(string connectionString, string containerName, BlobClientOptions? options = null)
        : this(BlobServiceClient.CreatePipeline(StorageConnectionString.Parse(connectionString), options), containerName)
    {
    }

    /// <summary>For mocking.</summary>
    protected BlobContainerClient()
    {
        Name = string.Empty;
    }

    internal BlobContainerClient(StoragePipeline pipeline, string containerName)
    {
        ResourceNameRules.Lowercase(containerName, "Container", nameof(containerName));
        _pipeline = pipeline;
        Name = containerName;
    }

    /// <summary>The container name.</summary>
    public virtual string Name { get; }

    /// <summary>A client for one blob (no request is sent).</summary>
    /// <exception cref="ArgumentException">The blob name is empty or longer than 1024 characters.</exception>
    public virtual BlobClient GetBlobClient(string blobName) => new(_pipeline, Name, blobName);

    /// <summary>Creates the container; an existing container is success (the 409 response is returned).</summary>
    public virtual async Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Put, Name);
        message.Request.Uri.AppendQuery("restype", "container");
        return await _pipeline.SendAsync(message, cancellationToken, 201, 409).ConfigureAwait(false);
    }

    /// <summary>Deletes the container and its blobs; a missing container is success (404 returned).</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Delete, Name);
        message.Request.Uri.AppendQuery("restype", "container");
        return await _pipeline.SendAsync(message, cancellationToken, 202, 404).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists blobs whose names start with <paramref name="prefix"/>, in name order, with metadata, following
    /// <c>NextMarker</c> page by page (the page size hint maps to <c>maxresults</c>, ≤ 5000).
    /// </summary>
    public virtual AsyncPageable<BlobItem> GetBlobsAsync(string? prefix = null, CancellationToken cancellationToken = default) =>
        new StoragePageable<BlobItem>((marker, pageSize, ct) => ListPageAsync(prefix, marker, pageSize, ct), cancellationToken);

    private async Task<Page<BlobItem>> ListPageAsync(string? prefix, string? marker, int? pageSize, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"A list page holds 1..{MaxPageSize} blobs.");
        }

        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Get, Name);
        RequestUriBuilder uri = message.Request.Uri;
        uri.AppendQuery("restype", "container");
        uri.AppendQuery("comp", "list");
        uri.AppendQuery("include", "metadata");
        if (!string.IsNullOrEmpty(prefix))
        {
            uri.AppendQuery("prefix", prefix);
        }

        if (!string.IsNullOrEmpty(marker))
        {
            uri.AppendQuery("marker", marker);
        }

        if (pageSize is int size)
        {
            uri.AppendQuery("maxresults", size.ToString(CultureInfo.InvariantCulture));
        }

        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        XElement root = XDocument.Parse(response.Content.ToString()).Root!;
        var items = new List<BlobItem>();
        foreach (XElement blob in root.Element("Blobs")?.Elements("Blob") ?? [])
        {
            XElement? properties = blob.Element("Properties");
            string? etag = properties?.Element("Etag")?.Value;
            items.Add(new BlobItem
            {
                Name = blob.Element("Name")!.Value,
                // Azure.Core strips the quotes of strong ETag headers; store listed ETags the same way so they compare equal.
                ETag = etag is null ? default : new ETag(etag.Trim('"')),
                LastModified = BlobProperties.ParseTime(properties?.Element("Last-Modified")?.Value),
                ContentLength = long.Parse(properties?.Element("Content-Length")?.Value ?? "0", CultureInfo.InvariantCulture),
                ContentType = properties?.Element("Content-Type")?.Value,
                LeaseState = properties?.Element("LeaseState")?.Value,
                Metadata = (blob.Element("Metadata")?.Elements() ?? []).ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.OrdinalIgnoreCase),
            });
        }

        string? next = root.Element("NextMarker")?.Value;
        return Page<BlobItem>.FromValues(items, string.IsNullOrEmpty(next) ? null : next, response);
    }
}
