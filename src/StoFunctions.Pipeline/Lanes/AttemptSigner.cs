using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Signers;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>
/// Builds, signs and checks one EIP-1559 attempt of a ledger transaction. Signature hygiene (invariant 7) is
/// checked here, before the attempt can be persisted or sent: low-S (EIP-2), yParity ∈ {0,1}, and the sender
/// recovered from the signature equals the lane address.
/// </summary>
internal static class AttemptSigner
{
    public static async Task<LedgerAttempt> SignAsync(LaneId lane, LedgerTransaction tx, FeePair fees, int number, ITransactionSigner signer, CancellationToken cancellationToken)
    {
        byte[][] fields = Fields(lane.ChainId, tx, fees);
        Hash32 signingHash = Keccak256.Hash([0x02, .. Rlp.EncodeList(fields)]);
        Signature signature = await signer.SignAsync(signingHash, cancellationToken).ConfigureAwait(false);
        if (!signature.IsLowS || signature.YParity > 1)
        {
            throw new PipelineException($"The signer returned a signature with {(signature.IsLowS ? "" : "high S ")}yParity {signature.YParity} for nonce {tx.Nonce}; EIP-2 requires low S and typed transactions yParity 0 or 1. Fix the signer's normalisation.");
        }

        Address recovered = Secp256k1.RecoverAddress(signingHash, signature);
        if (recovered != lane.Sender)
        {
            throw new PipelineException($"The signature for nonce {tx.Nonce} recovers to {recovered}, not the lane address {lane.Sender}. Check the signer's key (version) configuration; nothing was sent.");
        }

        byte[] raw = [0x02, .. Rlp.EncodeList([.. fields, Rlp.EncodeUInt256(signature.YParity), Rlp.EncodeUInt256(signature.R), Rlp.EncodeUInt256(signature.S)])];
        return new LedgerAttempt
        {
            Nonce = tx.Nonce,
            Number = number,
            Raw = raw,
            Hash = Keccak256.Hash(raw),
            Fees = fees,
            SignedTime = DateTimeOffset.UtcNow,
        };
    }

    // EIP-1559: rlp([chain_id, nonce, max_priority_fee_per_gas, max_fee_per_gas, gas_limit, destination, amount, data, access_list]).
    private static byte[][] Fields(long chainId, LedgerTransaction tx, FeePair fees) =>
    [
        Rlp.EncodeUInt256((ulong)chainId),
        Rlp.EncodeUInt256(tx.Nonce),
        Rlp.EncodeUInt256(fees.MaxPriorityFeePerGas),
        Rlp.EncodeUInt256(fees.MaxFeePerGas),
        Rlp.EncodeUInt256(tx.GasLimit),
        Rlp.EncodeBytes(tx.To is Address to ? to.ToArray() : []),
        Rlp.EncodeUInt256(tx.Value),
        Rlp.EncodeBytes(tx.Data),
        Rlp.EncodeList(),
    ];
}
