using Azure.Core;
using Azure.Core.Pipeline;

namespace StoFunctions.Azure.Storage;

/// <summary>
/// The HTTP transport and retry settings every client of a <see cref="StorageAccount"/> shares: the SDK's own
/// unless a caller (a test recording requests, a test trusting a local certificate) supplies one.
/// </summary>
public sealed class StorageTransport
{
    /// <summary>The SDK's default transport and retries.</summary>
    public static StorageTransport Default { get; } = new();

    /// <summary>The transport to use; null for the SDK's default.</summary>
    public HttpPipelineTransport? Transport { get; init; }

    /// <summary>Retries per request; null for the SDK's default.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Applies these settings to a client's options and returns them.</summary>
    public T Apply<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Transport is not null)
        {
            options.Transport = Transport;
        }

        if (MaxRetries is int retries)
        {
            options.Retry.MaxRetries = retries;
        }

        return options;
    }
}
