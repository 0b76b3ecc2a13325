using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Signers;

/// <summary>
/// A dev-only signer holding a private key in memory (e.g. one of anvil's published test keys). It refuses
/// every chain but the local development chains 31337 (anvil, hardhat) and 1337 (geth --dev, ganache), so a
/// misconfigured production deployment fails at startup instead of signing with a key on disk.
/// </summary>
public sealed class LocalKeySigner : ITransactionSigner
{
    /// <summary>The chain ids this signer accepts.</summary>
    public static IReadOnlyList<long> DevChainIds { get; } = [31337, 1337];

    private readonly PrivateKey _key;

    /// <summary>Creates the signer for <paramref name="chainId"/>.</summary>
    /// <exception cref="PipelineException"><paramref name="chainId"/> is not a development chain.</exception>
    public LocalKeySigner(PrivateKey key, long chainId)
    {
        if (!DevChainIds.Contains(chainId))
        {
            throw new PipelineException($"The local key signer only signs for development chains ({string.Join(", ", DevChainIds)}); chain {chainId} is not one. Configure the Key Vault signer for this chain.");
        }

        _key = key;
    }

    /// <inheritdoc />
    public Address Address => _key.Address;

    /// <inheritdoc />
    public Task<Signature> SignAsync(Hash32 signingHash, CancellationToken cancellationToken = default) => Task.FromResult(_key.Sign(signingHash));
}
