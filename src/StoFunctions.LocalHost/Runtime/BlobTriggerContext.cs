using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;

namespace StoFunctions.Runtime;

/// <summary>The blob version a blob function runs for.</summary>
public sealed class BlobTriggerContext
{
    /// <summary>The function name the blob was registered under.</summary>
    public required string FunctionName { get; init; }

    /// <summary>A client for the blob. Read with <c>IfMatch = ETag</c> to see exactly the version that triggered.</summary>
    public required BlobClient Blob { get; init; }

    /// <summary>The container name.</summary>
    public string ContainerName => Blob.BlobContainerName;

    /// <summary>The blob name (may contain '/').</summary>
    public string BlobName => Blob.Name;

    /// <summary>The version (ETag) this invocation is for.</summary>
    public required ETag ETag { get; init; }

    /// <summary>When that version was written.</summary>
    public DateTimeOffset LastModified { get; init; }

    /// <summary>Its length in bytes.</summary>
    public long ContentLength { get; init; }

    /// <summary>Its user metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Earlier failed attempts on this version (0 on the first).</summary>
    public int FailureCount { get; init; }

    /// <summary>Downloads exactly this version; 412 <c>ConditionNotMet</c> if it was overwritten meanwhile.</summary>
    public async Task<BinaryData> DownloadAsync(CancellationToken cancellationToken = default) =>
        (await Blob.DownloadContentAsync(new BlobRequestConditions { IfMatch = ETag }, cancellationToken).ConfigureAwait(false)).Value.Content;
}
