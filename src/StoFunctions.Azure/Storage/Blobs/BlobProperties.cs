using System.Globalization;
using Azure;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>A blob's system properties and user metadata.</summary>
public sealed class BlobProperties
{
    /// <summary>The ETag.</summary>
    public ETag ETag { get; init; }

    /// <summary>When the blob was last modified.</summary>
    public DateTimeOffset LastModified { get; init; }

    /// <summary>When the blob was created (zero when the service does not say).</summary>
    public DateTimeOffset CreatedOn { get; init; }

    /// <summary>The content length in bytes.</summary>
    public long ContentLength { get; init; }

    /// <summary>The content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>User metadata (names are case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Lease state: available, leased, expired, breaking or broken.</summary>
    public string? LeaseState { get; init; }

    /// <summary>Lease status: locked or unlocked.</summary>
    public string? LeaseStatus { get; init; }

    /// <summary>Lease duration kind: infinite or fixed, when leased.</summary>
    public string? LeaseDuration { get; init; }

    internal static BlobProperties FromHeaders(Response response)
    {
        string? Header(string name) => response.Headers.TryGetValue(name, out string? value) ? value : null;
        return new BlobProperties
        {
            ETag = response.Headers.ETag ?? default,
            LastModified = ParseTime(Header("Last-Modified")),
            CreatedOn = ParseTime(Header("x-ms-creation-time")),
            ContentLength = long.Parse(Header("Content-Length") ?? "0", CultureInfo.InvariantCulture),
            ContentType = Header("Content-Type"),
            Metadata = response.Headers
                .Where(h => h.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Name["x-ms-meta-".Length..], h => h.Value, StringComparer.OrdinalIgnoreCase),
            LeaseState = Header("x-ms-lease-state"),
            LeaseStatus = Header("x-ms-lease-status"),
            LeaseDuration = Header("x-ms-lease-duration"),
        };
    }

    internal static DateTimeOffset ParseTime(string? text) =>
        text is null ? default : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
