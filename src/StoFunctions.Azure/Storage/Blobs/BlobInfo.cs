using Azure;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>The blob's new ETag and modification time after a write.</summary>
public sealed class BlobInfo
{
    /// <summary>The new ETag.</summary>
    public ETag ETag { get; init; }

    /// <summary>When the blob was last modified.</summary>
    public DateTimeOffset LastModified { get; init; }

    internal static BlobInfo FromHeaders(Response response) => new()
    {
        ETag = response.Headers.ETag ?? default,
        LastModified = BlobProperties.ParseTime(response.Headers.TryGetValue("Last-Modified", out string? modified) ? modified : null),
    };
}
