using System.Globalization;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>
/// Conditions on a blob request. <c>IfNoneMatch = ETag.All</c> makes an upload create-only (409
/// <c>BlobAlreadyExists</c> when it exists); <c>IfMatch = etag</c> makes it an optimistic overwrite (412
/// <c>ConditionNotMet</c> when changed); <see cref="LeaseId"/> is required to write a leased blob.
/// </summary>
public sealed class BlobRequestConditions
{
    /// <summary>Proceed only if the blob's ETag matches (or any blob exists, for <c>*</c>).</summary>
    public ETag? IfMatch { get; set; }

    /// <summary>Proceed only if the blob's ETag differs (or no blob exists, for <c>*</c>).</summary>
    public ETag? IfNoneMatch { get; set; }

    /// <summary>Proceed only if modified since.</summary>
    public DateTimeOffset? IfModifiedSince { get; set; }

    /// <summary>Proceed only if not modified since.</summary>
    public DateTimeOffset? IfUnmodifiedSince { get; set; }

    /// <summary>The active lease id, when the blob is leased.</summary>
    public string? LeaseId { get; set; }

    internal static void Apply(Request request, BlobRequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", HeaderValue(ifMatch));
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", HeaderValue(ifNoneMatch));
        }

        if (conditions.IfModifiedSince is { } since)
        {
            request.Headers.SetValue("If-Modified-Since", since.ToString("r", CultureInfo.InvariantCulture));
        }

        if (conditions.IfUnmodifiedSince is { } unmodified)
        {
            request.Headers.SetValue("If-Unmodified-Since", unmodified.ToString("r", CultureInfo.InvariantCulture));
        }

        if (conditions.LeaseId is { Length: > 0 } leaseId)
        {
            request.Headers.SetValue("x-ms-lease-id", leaseId);
        }
    }

    internal static string HeaderValue(ETag etag) => etag == ETag.All ? "*" : etag.ToString("H");
}
