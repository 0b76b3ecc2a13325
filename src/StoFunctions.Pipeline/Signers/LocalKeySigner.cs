using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Signers;

/// <summary>
/// A dev-only signer holding a private key in memory (e.g. one of anvil's published test keys). It refuses
/// every chain but the local development chains 31337 (anvil, hardhat) and 1337 (geth --dev, ganache), so a
/// misconfigured production deployment fails at startup instead of signing with a key from configuration.
/// Production signs with <c>KeyVaultEthereumSigner</c> (StoFunctions.Azure.KeyVault).
/// </summary>
public sealed class LocalKeySigner : ISigner
{
    /// <summary>The chain ids this signer accepts.</summary>
    public static IReadOnlyList<long> DevChainIds { get; } = [31337, 1337];

    private readonly PrivateKeySigner _inner;

    /// <summary>Creates the signer for <paramref name="chainId"/>.</summary>
    /// <exception cref="PipelineException"><paramref name="chainId"/> is not a development chain.</exception>
    public LocalKeySigner(PrivateKey key, long chainId)
    {
        if (!DevChainIds.Contains(chainId))
        {
            throw new PipelineException($"The local key signer only signs for development chains ({string.Join(", ", DevChainIds)}); chain {chainId} is not one. Configure the Key Vault signer for this chain.");
        }

        _inner = new PrivateKeySigner(key);
    }

    /// <inheritdoc />
    public Address Address => _inner.Address;

    /// <inheritdoc />
    public PublicKey PublicKey => _inner.PublicKey;

    /// <inheritdoc />
    public ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default) => _inner.SignHashAsync(hash, cancellationToken);
}
