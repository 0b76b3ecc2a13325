using Azure.Core;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>Options for the Blob clients: retries, transport, diagnostics and service version.</summary>
public sealed class BlobClientOptions : ClientOptions
{
    /// <summary>Creates options for the given service version.</summary>
    public BlobClientOptions(ServiceVersion version = ServiceVersion.V2021_12_02)
    {
        Version = version switch
        {
            // In every Azurite 3.x list and supports OAuth; newer versions add nothing we use.
            ServiceVersion.V2021_12_02 => "2021-12-02",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Blob service version."),
        };
    }

    /// <summary>The Blob service REST versions this library speaks.</summary>
    public enum ServiceVersion
    {
        /// <summary>x-ms-version 2021-12-02.</summary>
        V2021_12_02 = 1,
    }

    internal string Version { get; }
}
