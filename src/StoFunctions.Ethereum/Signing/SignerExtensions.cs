namespace StoFunctions.Ethereum;

/// <summary>Transaction signing on top of any <see cref="ISigner"/>, so every signer goes through the same checks.</summary>
public static class SignerExtensions
{
    /// <summary>
    /// Checks <paramref name="transaction"/> against node admission rules, signs its signing hash, serializes it,
    /// then parses the raw bytes back and checks that their signature recovers the signer's public key (as a
    /// verification against that key, which is cheaper than a recovery), failing closed otherwise
    /// (research/txpipeline.md §4.4 step 5: nothing that would be broadcast under another sender leaves here).
    /// </summary>
    /// <exception cref="TransactionException">The transaction breaks a node rule (checked before any signing).</exception>
    /// <exception cref="SignatureException">The signature is not low-S or does not recover to <see cref="ISigner.Address"/>.</exception>
    public static async ValueTask<SignedRawTransaction> SignTransactionAsync(this ISigner signer, Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(transaction);
        TransactionRules.Check(transaction);
        Hash32 signingHash = TransactionSerializer.SigningHash(transaction);
        Signature signature = await signer.SignHashAsync(signingHash, cancellationToken).ConfigureAwait(false);
        if (!signature.IsLowS)
        {
            throw new SignatureException($"{signer} returned a high-S signature ({signature}); EIP-2 requires s ≤ n/2, so nodes would reject the transaction.");
        }

        byte[] raw = TransactionSerializer.Serialize(transaction, signature);
        SignedTransaction parsed = TransactionSerializer.Parse(raw, transaction.SignedChainId);
        if (signer.PublicKey.Address != signer.Address || !Secp256k1.Verify(parsed.SigningHash, parsed.Signature, signer.PublicKey))
        {
            Address sender = parsed.RecoverSender();
            throw new SignatureException($"The signed transaction (nonce {transaction.Nonce}) recovers to sender {sender}, not to the signer {signer.Address}; it was not broadcast. Check the signer's key version.");
        }

        return new SignedRawTransaction(transaction, signature, raw, Keccak256.Hash(raw), signer.Address);
    }
}
