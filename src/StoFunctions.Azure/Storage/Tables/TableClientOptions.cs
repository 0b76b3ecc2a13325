using Azure.Core;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>Options for <see cref="TableServiceClient"/> and <see cref="TableClient"/>: retries, transport, diagnostics and service version.</summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>Creates options for the given service version.</summary>
    public TableClientOptions(ServiceVersion version = ServiceVersion.V2019_02_02)
    {
        Version = version switch
        {
            // 2019-02-02 is the version Azure.Data.Tables targets: JSON payloads and Entra ID; every Azurite 3.x accepts it.
            ServiceVersion.V2019_02_02 => "2019-02-02",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Table service version."),
        };
    }

    /// <summary>The Table service REST versions this library speaks.</summary>
    public enum ServiceVersion
    {
        /// <summary>x-ms-version 2019-02-02.</summary>
        V2019_02_02 = 1,
    }

    internal string Version { get; }
}
