using Azure.Core;

namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// Options for <see cref="KeyClient"/> and <see cref="CryptographyClient"/>: service version, retries
/// (Azure.Core's exponential retry honours <c>Retry-After</c> on 429) and transport.
/// </summary>
public class KeyVaultClientOptions : ClientOptions
{
    /// <summary>The newest service version this client speaks.</summary>
    public const ServiceVersion LatestVersion = ServiceVersion.V7_5;

    /// <summary>Creates options for <paramref name="version"/>.</summary>
    public KeyVaultClientOptions(ServiceVersion version = LatestVersion)
    {
        if (version is not (ServiceVersion.V7_4 or ServiceVersion.V7_5))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Key Vault service version must be V7_4 or V7_5.");
        }

        Version = version;
    }

    /// <summary>Key Vault REST API versions.</summary>
    public enum ServiceVersion
    {
        /// <summary>api-version 7.4 (the one the OpenZeppelin relayer pins).</summary>
        V7_4 = 1,

        /// <summary>api-version 7.5.</summary>
        V7_5 = 2,
    }

    /// <summary>The service version sent as <c>api-version</c>.</summary>
    public ServiceVersion Version { get; }

    /// <summary>
    /// Skips the check that a 401 challenge's resource/scope host is a parent domain of the vault host
    /// (same name and meaning as in Azure.Security.KeyVault.*). Leave it off: the check stops a look-alike
    /// vault URL from obtaining a token for a resource it does not belong to.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }

    internal string ApiVersion => Version switch
    {
        ServiceVersion.V7_4 => "7.4",
        _ => "7.5",
    };
}
