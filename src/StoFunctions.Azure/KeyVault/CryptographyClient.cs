using Azure;
using Azure.Core;

namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// Signs digests with one Key Vault key version (shaped like
/// <c>Azure.Security.KeyVault.Keys.Cryptography.CryptographyClient</c>, async only, remote operations only).
/// Unlike the official client it requires a versioned key id: for Ethereum a new version is a new private
/// key and a new address, so signing "the latest" could silently change the sender.
/// </summary>
public class CryptographyClient
{
    private readonly KeyVaultRestClient _rest;
    private readonly KeyVaultKeyIdentifier _keyId;

    /// <summary>Creates a client for the key version <paramref name="keyId"/> (<c>https://{vault}/keys/{name}/{version}</c>).</summary>
    /// <exception cref="ArgumentException">The id is not https, not a key id, or has no version.</exception>
    public CryptographyClient(Uri keyId, TokenCredential credential, KeyVaultClientOptions? options = null)
    {
        _keyId = KeyVaultKeyIdentifier.Parse(keyId);
        if (_keyId.Version is null)
        {
            throw new ArgumentException($"Key id '{keyId}' has no version; pin one (https://{{vault}}/keys/{{name}}/{{version}}) because each version is a different private key.", nameof(keyId));
        }

        _rest = new KeyVaultRestClient(_keyId.VaultUri, credential, options);
    }

    internal CryptographyClient(KeyVaultKeyIdentifier keyId, KeyVaultRestClient rest)
    {
        _keyId = keyId;
        _rest = rest;
    }

    /// <summary>For mocking.</summary>
    protected CryptographyClient()
    {
        _rest = null!;
    }

    /// <summary>The versioned key id this client signs with.</summary>
    public virtual string KeyId => _keyId.SourceId.ToString();

    /// <summary>
    /// Signs a precomputed digest: <c>POST /keys/{name}/{version}/sign</c>. Key Vault does not hash EC
    /// digests, so for Ethereum pass the 32-byte keccak-256 signing hash with <see cref="SignatureAlgorithm.ES256K"/>.
    /// The result is raw <c>r || s</c> (64 bytes); s is not normalised and no recovery id is given.
    /// </summary>
    /// <exception cref="ArgumentException">The digest length does not fit the algorithm.</exception>
    /// <exception cref="RequestFailedException">The service refused, or the transport failed after retries (status 0).</exception>
    public virtual async Task<SignResult> SignAsync(SignatureAlgorithm algorithm, byte[] digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (algorithm.DigestLength is int expected && digest.Length != expected)
        {
            throw new ArgumentException($"{algorithm} signs a {expected}-byte digest, got {digest.Length} bytes; pass the hash, not the message.", nameof(digest));
        }

        Response<SignResult> response = await _rest.SignAsync(_keyId.Name, _keyId.Version!, algorithm, digest, cancellationToken).ConfigureAwait(false);
        SignResult result = response.Value;
        if (algorithm == SignatureAlgorithm.ES256K && result.Signature.Length != 64)
        {
            throw new RequestFailedException(response.GetRawResponse().Status,
                $"Key Vault returned a {result.Signature.Length}-byte ES256K signature for {KeyId}; expected 64 bytes r || s.", "InvalidResponse", null);
        }

        return result;
    }
}
