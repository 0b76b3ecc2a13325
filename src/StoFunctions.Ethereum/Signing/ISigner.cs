namespace StoFunctions.Ethereum;

/// <summary>
/// Something that signs 32-byte hashes for one Ethereum account: an HSM-held key (Azure Key Vault) in
/// production, an in-memory key (<see cref="PrivateKeySigner"/>) on dev chains. Transaction signing is built
/// on top of it, so both signers produce identical transactions and go through the same sender check.
/// </summary>
public interface ISigner
{
    /// <summary>The account that signs (the transactions' sender).</summary>
    Address Address { get; }

    /// <summary>
    /// The public key behind <see cref="Address"/>; transaction signing checks each signature against it
    /// (<see cref="Secp256k1.Verify"/>), which is cheaper than recovering the sender.
    /// </summary>
    PublicKey PublicKey { get; }

    /// <summary>
    /// Signs <paramref name="hash"/> and returns an Ethereum signature: low-S (EIP-2), with the recovery bit,
    /// which recovers to <see cref="Address"/>. Signers whose key lives elsewhere verify that before returning.
    /// </summary>
    ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default);
}
