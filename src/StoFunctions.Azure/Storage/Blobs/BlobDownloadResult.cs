namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>A downloaded blob: its bytes and the properties they were read with.</summary>
public sealed class BlobDownloadResult
{
    /// <summary>The content.</summary>
    public required BinaryData Content { get; init; }

    /// <summary>The properties (ETag, metadata, lease state …) of the version downloaded.</summary>
    public required BlobProperties Details { get; init; }
}
