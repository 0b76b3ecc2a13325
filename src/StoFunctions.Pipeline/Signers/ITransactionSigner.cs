using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Signers;

/// <summary>
/// Signs transaction signing hashes for one address. Implementations may be non-deterministic (Key Vault):
/// the lane therefore persists every signed attempt before sending it (invariant 3).
/// </summary>
public interface ITransactionSigner
{
    /// <summary>The address whose transactions this signer signs.</summary>
    Address Address { get; }

    /// <summary>Signs a 32-byte signing hash; returns a low-S signature with yParity ∈ {0, 1}.</summary>
    Task<Signature> SignAsync(Hash32 signingHash, CancellationToken cancellationToken = default);
}
