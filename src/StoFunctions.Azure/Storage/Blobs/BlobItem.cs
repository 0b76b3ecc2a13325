using Azure;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>A blob as listed by <see cref="BlobContainerClient.GetBlobsAsync"/>.</summary>
public sealed class BlobItem
{
    /// <summary>The blob name.</summary>
    public required string Name { get; init; }

    /// <summary>The ETag, in the same form as <see cref="BlobProperties.ETag"/> so the two compare equal.</summary>
    public ETag ETag { get; init; }

    /// <summary>When the blob was last modified.</summary>
    public DateTimeOffset LastModified { get; init; }

    /// <summary>The content length in bytes.</summary>
    public long ContentLength { get; init; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>Lease state: available, leased, expired, breaking or broken.</summary>
    public string? LeaseState { get; init; }

    /// <summary>User metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
