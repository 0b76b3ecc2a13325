using Azure;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using StoFunctions.Ethereum;

namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// An Ethereum <see cref="ISigner"/> whose private key is a Key Vault P-256K key, signing through the official
/// Azure.Security.KeyVault.Keys client (research/txpipeline.md §4). The public key is fetched once and the key
/// version pinned (a new version is a new key and a new address): every signature is one ES256K sign call on the
/// 32-byte hash against the versioned key id, whose raw <c>r || s</c> is normalised to low-S (EIP-2; Key Vault
/// does not, Nethereum PR #462) and given the recovery bit that recovers the cached public key. A signature that
/// does not recover to this key is refused, so nothing signed by another key version, or corrupted on the way,
/// can leave this class.
/// </summary>
public sealed class KeyVaultEthereumSigner : ISigner
{
    private readonly CryptographyClient _crypto;

    private KeyVaultEthereumSigner(CryptographyClient crypto, KeyVaultKey key, PublicKey publicKey)
    {
        _crypto = crypto;
        Key = key;
        PublicKey = publicKey;
    }

    /// <inheritdoc />
    public Address Address => PublicKey.Address;

    /// <summary>The signer's public key (from the pinned key version's JWK x and y).</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The pinned key version (<see cref="KeyProperties.Version"/>; its <see cref="JsonWebKey.Id"/> is the versioned key id signed with).</summary>
    public KeyVaultKey Key { get; }

    /// <summary>
    /// Fetches key <paramref name="keyName"/> (version <paramref name="keyVersion"/>, or the latest version,
    /// which is then pinned) and checks it can sign for Ethereum: an enabled EC/EC-HSM key on curve P-256K
    /// with 32-byte x and y that permits <c>sign</c>. Signing goes through
    /// <see cref="KeyClient.GetCryptographyClient"/> for that exact version, so it shares the key client's
    /// pipeline (transport, retries, challenge and token cache).
    /// </summary>
    /// <exception cref="RequestFailedException">Key Vault refused the read (404 KeyNotFound, 403, …).</exception>
    /// <exception cref="SignatureException">The key is not usable as an Ethereum key; the message says why.</exception>
    public static async Task<KeyVaultEthereumSigner> CreateAsync(KeyClient keys, string keyName, string? keyVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        KeyVaultKey key = (await keys.GetKeyAsync(keyName, keyVersion, cancellationToken).ConfigureAwait(false)).Value;
        JsonWebKey jwk = key.Key;
        string where = $"Key Vault key {jwk.Id}";
        if ((jwk.KeyType != KeyType.Ec && jwk.KeyType != KeyType.EcHsm) || jwk.CurveName != KeyCurveName.P256K)
        {
            throw new SignatureException($"{where} is kty {jwk.KeyType} crv {jwk.CurveName?.ToString() ?? "(none)"}; Ethereum needs kty EC or EC-HSM with crv P-256K (secp256k1). Create it with --kty EC-HSM --curve P-256K (not the legacy name SECP256K1).");
        }

        if (jwk.X is not { Length: 32 } || jwk.Y is not { Length: 32 })
        {
            throw new SignatureException($"{where} has x of {jwk.X?.Length ?? 0} and y of {jwk.Y?.Length ?? 0} bytes; a P-256K public key has 32 bytes each.");
        }

        bool enabled = key.Properties.Enabled != false;
        if (!enabled || !jwk.KeyOps.Contains(KeyOperation.Sign))
        {
            throw new SignatureException($"{where} is {(enabled ? "enabled" : "disabled")} with key_ops [{string.Join(", ", jwk.KeyOps)}]; it must be enabled and permit 'sign'.");
        }

        if (string.IsNullOrEmpty(key.Properties.Version))
        {
            throw new SignatureException($"{where} came back without a version, so it cannot be pinned; check that Signer:KeyVaultUrl points at Key Vault.");
        }

        PublicKey publicKey = PublicKey.FromBytes([.. jwk.X, .. jwk.Y]);
        return new KeyVaultEthereumSigner(keys.GetCryptographyClient(key.Name, key.Properties.Version), key, publicKey);
    }

    /// <summary>
    /// Signs <paramref name="hash"/> with one Key Vault ES256K call and returns the low-S Ethereum signature
    /// that recovers to <see cref="Address"/>. Key Vault's ECDSA is not deterministic: every call returns a
    /// different valid signature, so persist what you sign before broadcasting it. The client's retry policy
    /// resends a throttled (429, after Retry-After) or lost sign; that is safe because signing changes nothing
    /// in the vault.
    /// </summary>
    /// <exception cref="RequestFailedException">Key Vault refused, or the transport failed after the retries (status 0; the response of a performed sign may be lost).</exception>
    /// <exception cref="SignatureException">The returned signature is malformed or was not made by the pinned key.</exception>
    public async ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default)
    {
        SignResult result = await _crypto.SignAsync(SignatureAlgorithm.ES256K, hash.ToArray(), cancellationToken).ConfigureAwait(false);
        if (!string.Equals(result.KeyId, Key.Key.Id, StringComparison.OrdinalIgnoreCase))
        {
            throw new SignatureException($"Key Vault signed with {result.KeyId}, not the pinned {Key.Key.Id}; refusing the signature.");
        }

        return Secp256k1.FromExternalSignature(result.Signature, hash, PublicKey);
    }

    /// <inheritdoc />
    public override string ToString() => $"KeyVaultEthereumSigner({Address}, {Key.Key.Id})";
}
