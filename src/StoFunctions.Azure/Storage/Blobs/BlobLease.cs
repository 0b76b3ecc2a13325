using Azure;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>The result of a lease operation.</summary>
public sealed class BlobLease
{
    /// <summary>The blob's ETag.</summary>
    public ETag ETag { get; init; }

    /// <summary>When the blob was last modified.</summary>
    public DateTimeOffset LastModified { get; init; }

    /// <summary>The lease id (absent after break).</summary>
    public string? LeaseId { get; init; }

    /// <summary>After break: seconds until the lease is broken.</summary>
    public int? LeaseTime { get; init; }
}
