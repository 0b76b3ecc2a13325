using StoFunctions.Azure.KeyVault;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Signers;

namespace StoFunctions.Composition;

/// <summary>The lane's signer backed by a Key Vault (or Managed HSM) secp256k1 key: the production signer mode.</summary>
internal sealed class KeyVaultTransactionSigner(KeyVaultEthereumSigner signer) : ITransactionSigner
{
    public Address Address => signer.Address;

    public async Task<Signature> SignAsync(Hash32 signingHash, CancellationToken cancellationToken = default) =>
        await signer.SignHashAsync(signingHash, cancellationToken).ConfigureAwait(false);
}
