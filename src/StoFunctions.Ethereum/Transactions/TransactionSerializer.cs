namespace StoFunctions.Ethereum;

/// <summary>
/// Encodes, decodes and hashes transactions: legacy (with and without
/// <see href="https://eips.ethereum.org/EIPS/eip-155">EIP-155</see>), EIP-2930 and EIP-1559, in the
/// <see href="https://eips.ethereum.org/EIPS/eip-2718">EIP-2718</see> envelope for typed transactions.
/// </summary>
public static partial class TransactionSerializer
{
    /// <summary>
    /// The unsigned payload whose keccak256 is the signing hash: <c>type ‖ rlp(fields)</c> for typed transactions;
    /// for legacy <c>rlp(6 fields)</c>, or <c>rlp(6 fields ‖ chainId, 0, 0)</c> with EIP-155.
    /// </summary>
    public static byte[] Serialize(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var result = new byte[SerializedLength(transaction, null)];
        Write(transaction, null, result);
        return result;
    }

    /// <summary>The signed raw transaction, as sent with <c>eth_sendRawTransaction</c>.</summary>
    public static byte[] Serialize(Transaction transaction, Signature signature)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var result = new byte[SerializedLength(transaction, signature)];
        Write(transaction, signature, result);
        return result;
    }

    /// <summary>keccak256 of the unsigned payload: the 32 bytes the sender signs.</summary>
    public static Hash32 SigningHash(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        int length = SerializedLength(transaction, null);
        byte[]? rented = length > 1024 ? new byte[length] : null;
        Span<byte> buffer = rented ?? stackalloc byte[length];
        Write(transaction, null, buffer);
        return Keccak256.Hash(buffer);
    }

    /// <summary>The transaction hash of raw signed bytes: keccak256(raw).</summary>
    public static Hash32 Hash(ReadOnlySpan<byte> raw) => Keccak256.Hash(raw);

    /// <summary>Size of the serialized form (signed when <paramref name="signature"/> is given).</summary>
    public static int SerializedLength(Transaction transaction, Signature? signature)
    {
        int payload = PayloadLength(transaction, signature);
        int list = Rlp.LengthOfListHeader(payload) + payload;
        return transaction.Type == TransactionType.Legacy ? list : 1 + list;
    }

    /// <summary>Writes the serialized form into <paramref name="destination"/> and returns the length written.</summary>
    public static int Write(Transaction transaction, Signature? signature, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var writer = new RlpWriter(transaction.Type == TransactionType.Legacy ? destination : destination[1..]);
        if (transaction.Type != TransactionType.Legacy)
        {
            destination[0] = (byte)transaction.Type;
        }

        writer.WriteListHeader(PayloadLength(transaction, signature));
        transaction.WriteFields(ref writer);
        if (signature is { } sig)
        {
            if (transaction is LegacyTransaction legacy)
            {
                writer.WriteUInt256(sig.LegacyV(legacy.ChainId));
            }
            else
            {
                writer.WriteUInt64(sig.YParity);
            }

            writer.WriteUInt256(sig.R);
            writer.WriteUInt256(sig.S);
        }
        else if (transaction is LegacyTransaction { ChainId: { } chainId })
        {
            // EIP-155: the signing payload appends chainId and two empty strings in place of v, r, s.
            writer.WriteUInt64(chainId);
            writer.WriteBytes([]);
            writer.WriteBytes([]);
        }

        return writer.Position + (transaction.Type == TransactionType.Legacy ? 0 : 1);
    }

    private static int PayloadLength(Transaction transaction, Signature? signature)
    {
        int payload = transaction.FieldsLength();
        if (signature is { } sig)
        {
            payload += transaction is LegacyTransaction legacy
                ? Rlp.LengthOfUInt256(sig.LegacyV(legacy.ChainId))
                : Rlp.LengthOfUInt64(sig.YParity);
            payload += Rlp.LengthOfUInt256(sig.R) + Rlp.LengthOfUInt256(sig.S);
        }
        else if (transaction is LegacyTransaction { ChainId: { } chainId })
        {
            payload += Rlp.LengthOfUInt64(chainId) + 2;
        }

        return payload;
    }
}
