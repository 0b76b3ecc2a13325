namespace StoFunctions.Ethereum;

/// <summary>
/// An <see cref="ISigner"/> over an in-memory <see cref="PrivateKey"/>: for local dev chains and tests only
/// (anvil's published keys). The host must refuse it on any chain that is not a dev chain; production signs
/// through Key Vault so that no private key is ever in process memory.
/// </summary>
public sealed class PrivateKeySigner : ISigner
{
    private readonly PrivateKey _key;

    /// <summary>Wraps <paramref name="key"/>.</summary>
    public PrivateKeySigner(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <inheritdoc />
    public Address Address => _key.Address;

    /// <inheritdoc />
    public PublicKey PublicKey => _key.PublicKey;

    /// <inheritdoc />
    public ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_key.Sign(hash));
    }

    /// <summary>Shows only the address, never the key.</summary>
    public override string ToString() => $"PrivateKeySigner({Address})";
}
