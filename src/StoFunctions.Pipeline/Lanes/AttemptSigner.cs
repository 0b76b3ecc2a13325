using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Signers;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>
/// Builds, signs and checks one EIP-1559 attempt of a ledger transaction. Signature hygiene (invariant 7) is
/// checked here, before the attempt can be persisted or sent: low-S (EIP-2), yParity ∈ {0,1}, and the sender
/// recovered from the signature equals the lane address
/// (checked as one verification against the signer's public key).
/// </summary>
internal static class AttemptSigner
{
    public static async Task<LedgerAttempt> SignAsync(LaneId lane, LedgerTransaction tx, FeePair fees, int number, ISigner signer, CancellationToken cancellationToken)
    {
        var unsigned = new Eip1559Transaction
        {
            ChainId = (ulong)lane.ChainId,
            Nonce = tx.Nonce,
            MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas,
            MaxFeePerGas = fees.MaxFeePerGas,
            GasLimit = tx.GasLimit,
            To = tx.To,
            Value = tx.Value,
            Data = tx.Data,
        };
        Hash32 signingHash = TransactionSerializer.SigningHash(unsigned);
        Signature signature = await signer.SignHashAsync(signingHash, cancellationToken).ConfigureAwait(false);
        if (!signature.IsLowS || signature.YParity > 1)
        {
            throw new PipelineException($"The signer returned a signature with {(signature.IsLowS ? "" : "high S ")}yParity {signature.YParity} for nonce {tx.Nonce}; EIP-2 requires low S and typed transactions yParity 0 or 1. Fix the signer's normalisation.");
        }

        // One ECDSA verification against the lane's key (a precomputed table per key) proves the same as recovering
        // the sender and comparing addresses, at about half the CPU: it is paid on every attempt, so on the lane's
        // hot path. The full recovery runs only to name the wrong key in the error.
        PublicKey key = signer.PublicKey;
        if (key.Address != lane.Sender || !Secp256k1.Verify(signingHash, signature, key))
        {
            Address recovered = Secp256k1.RecoverAddress(signingHash, signature);
            throw new PipelineException($"The signature for nonce {tx.Nonce} recovers to {recovered}, not the lane address {lane.Sender}. Check the signer's key (version) configuration; nothing was sent.");
        }

        byte[] raw = TransactionSerializer.Serialize(unsigned, signature);
        return new LedgerAttempt
        {
            Nonce = tx.Nonce,
            Number = number,
            Raw = raw,
            Hash = TransactionSerializer.Hash(raw),
            Fees = fees,
            SignedTime = DateTimeOffset.UtcNow,
        };
    }
}
