using Azure.Core;

namespace StoFunctions.Azure.Storage.Queues;

/// <summary>Options for <see cref="QueueServiceClient"/> and <see cref="QueueClient"/>: retries, transport, service version and message encoding.</summary>
public sealed class QueueClientOptions : ClientOptions
{
    /// <summary>Creates options for the given service version.</summary>
    public QueueClientOptions(ServiceVersion version = ServiceVersion.V2021_12_02)
    {
        Version = version switch
        {
            // In every Azurite 3.x list, supports OAuth and messagettl=-1 (2017-07-29+).
            ServiceVersion.V2021_12_02 => "2021-12-02",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Queue service version."),
        };
    }

    /// <summary>The Queue service REST versions this library speaks.</summary>
    public enum ServiceVersion
    {
        /// <summary>x-ms-version 2021-12-02.</summary>
        V2021_12_02 = 1,
    }

    /// <summary>Message body encoding; default <see cref="QueueMessageEncoding.Base64"/> for Functions compatibility.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;

    internal string Version { get; }
}
