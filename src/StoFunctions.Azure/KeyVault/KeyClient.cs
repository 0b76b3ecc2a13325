using Azure;
using Azure.Core;

namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// Reads and creates Key Vault keys (shaped like <c>Azure.Security.KeyVault.Keys.KeyClient</c>, async only).
/// Authenticates with challenge-based bearer auth through the given <see cref="TokenCredential"/>.
/// </summary>
public class KeyClient
{
    private readonly KeyVaultRestClient _rest;

    /// <summary>Creates a client for the vault at <paramref name="vaultUri"/> (https only).</summary>
    /// <exception cref="ArgumentException">The URI is not an absolute https URL.</exception>
    public KeyClient(Uri vaultUri, TokenCredential credential, KeyVaultClientOptions? options = null)
    {
        _rest = new KeyVaultRestClient(vaultUri, credential, options);
    }

    /// <summary>For mocking.</summary>
    protected KeyClient()
    {
        _rest = null!;
    }

    /// <summary>The vault (<c>https://{vault}/</c>).</summary>
    public virtual Uri VaultUri => _rest.VaultUri;

    /// <summary>
    /// Gets a key version's public part: <c>GET /keys/{name}/{version}</c>. Without <paramref name="version"/>
    /// the latest version is returned; its <see cref="KeyVaultKey.Version"/> is what to pin.
    /// </summary>
    /// <exception cref="RequestFailedException">The service refused (e.g. 404 <c>KeyNotFound</c>, 403 <c>Forbidden</c>).</exception>
    public virtual Task<Response<KeyVaultKey>> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        KeyVaultKeyIdentifier.ValidateName(name, nameof(name));
        if (version is not null)
        {
            KeyVaultKeyIdentifier.ValidateVersion(version, nameof(version));
        }

        return _rest.GetKeyAsync(name, version, cancellationToken);
    }

    /// <summary>
    /// Creates a new EC key, or a new version of an existing one, permitted to sign and verify:
    /// <c>POST /keys/{name}/create</c>. The default curve <c>P-256K</c> is secp256k1, the Ethereum curve (not the
    /// legacy preview name <c>SECP256K1</c>, which cannot sign ES256K). <paramref name="hardwareProtected"/>
    /// selects <c>EC-HSM</c> (Premium vaults) over <c>EC</c>. Needs the Key Vault Crypto Officer role.
    /// </summary>
    public virtual Task<Response<KeyVaultKey>> CreateEcKeyAsync(string name, bool hardwareProtected = true, string curveName = "P-256K", CancellationToken cancellationToken = default)
    {
        KeyVaultKeyIdentifier.ValidateName(name, nameof(name));
        if (curveName is not ("P-256K" or "P-256" or "P-384" or "P-521"))
        {
            throw new ArgumentException($"Curve '{curveName}' is not a Key Vault curve; use P-256K (secp256k1, for Ethereum), P-256, P-384 or P-521.", nameof(curveName));
        }

        return _rest.CreateEcKeyAsync(name, hardwareProtected ? "EC-HSM" : "EC", curveName, cancellationToken);
    }

    /// <summary>A <see cref="CryptographyClient"/> for one key version that shares this client's pipeline and token.</summary>
    public virtual CryptographyClient GetCryptographyClient(string keyName, string keyVersion)
    {
        KeyVaultKeyIdentifier.ValidateName(keyName, nameof(keyName));
        ArgumentException.ThrowIfNullOrEmpty(keyVersion);
        KeyVaultKeyIdentifier.ValidateVersion(keyVersion, nameof(keyVersion));
        return new CryptographyClient(KeyVaultKeyIdentifier.Parse(new Uri(_rest.VaultUri, $"keys/{keyName}/{keyVersion}")), _rest);
    }
}
