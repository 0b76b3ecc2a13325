namespace StoFunctions.Ethereum;

/// <summary>Signs transactions: pure functions from (transaction, key) to a signed transaction.</summary>
public static class TransactionSigner
{
    /// <summary>Signs with an in-memory key (RFC 6979, low-S).</summary>
    public static SignedTransaction Sign(Transaction transaction, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(key);
        return new SignedTransaction(transaction, key.Sign(TransactionSerializer.SigningHash(transaction)));
    }

    /// <summary>Signs and returns the raw bytes for <c>eth_sendRawTransaction</c>.</summary>
    public static byte[] SignAndSerialize(Transaction transaction, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(key);
        Signature signature = key.Sign(TransactionSerializer.SigningHash(transaction));
        return TransactionSerializer.Serialize(transaction, signature);
    }

    /// <summary>
    /// Completes a transaction with an external signer's 64-byte <c>r ‖ s</c> over
    /// <see cref="TransactionSerializer.SigningHash"/> (e.g. Key Vault ES256K): S is normalised to low-S and the
    /// recovery bit is found against the signer's known public key.
    /// </summary>
    /// <exception cref="SignatureException">The signature does not verify under <paramref name="signer"/>.</exception>
    public static SignedTransaction FromExternalSignature(Transaction transaction, ReadOnlySpan<byte> rs, PublicKey signer)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Signature signature = Secp256k1.FromExternalSignature(rs, TransactionSerializer.SigningHash(transaction), signer);
        return new SignedTransaction(transaction, signature);
    }
}
