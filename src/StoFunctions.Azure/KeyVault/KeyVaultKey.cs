namespace StoFunctions.Azure.KeyVault;

/// <summary>A key version returned by <see cref="KeyClient"/> (as <c>Azure.Security.KeyVault.Keys.KeyVaultKey</c>).</summary>
/// <param name="Id">The versioned key identifier.</param>
/// <param name="Key">The public JSON Web Key.</param>
/// <param name="Enabled">Whether the key may be used.</param>
public sealed record KeyVaultKey(KeyVaultKeyIdentifier Id, JsonWebKey Key, bool Enabled)
{
    /// <summary>The key name.</summary>
    public string Name => Id.Name;

    /// <summary>The key version (pin it: a new version is a new private key).</summary>
    public string Version => Id.Version!;
}
