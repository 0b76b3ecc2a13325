namespace StoFunctions.Ethereum;

/// <summary>A transaction with its signature, as broadcast with <c>eth_sendRawTransaction</c>.</summary>
/// <param name="Transaction">The signed fields.</param>
/// <param name="Signature">r, s and yParity (for legacy transactions v is derived from yParity and the chain id).</param>
public sealed record SignedTransaction(Transaction Transaction, Signature Signature)
{
    /// <summary>The raw bytes (<c>type ‖ rlp(...)</c> for typed transactions, <c>rlp(...)</c> for legacy).</summary>
    public byte[] Serialize() => TransactionSerializer.Serialize(Transaction, Signature);

    /// <summary>The transaction hash: keccak256 of the raw bytes.</summary>
    public Hash32 Hash => Keccak256.Hash(Serialize());

    /// <summary>The hash the signature signs.</summary>
    public Hash32 SigningHash => TransactionSerializer.SigningHash(Transaction);

    /// <summary>Recovers the sender's address from the signature.</summary>
    /// <exception cref="TransactionException">No public key recovers from the signature.</exception>
    public Address RecoverSender()
    {
        try
        {
            return Secp256k1.RecoverAddress(SigningHash, Signature);
        }
        catch (SignatureException ex)
        {
            throw new TransactionException($"the sender cannot be recovered: {ex.Message}", null, ex);
        }
    }
}
