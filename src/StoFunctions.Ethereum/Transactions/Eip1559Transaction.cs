namespace StoFunctions.Ethereum;

/// <summary>An EIP-1559 (type 2) transaction: a fee cap and a priority fee instead of a gas price.</summary>
public sealed record Eip1559Transaction : Transaction
{
    /// <summary>The chain id (always part of the signature).</summary>
    public ulong ChainId { get; init; }

    /// <summary>Tip per gas paid to the block producer.</summary>
    public UInt256 MaxPriorityFeePerGas { get; init; }

    /// <summary>Maximum total (base fee + tip) per gas.</summary>
    public UInt256 MaxFeePerGas { get; init; }

    /// <summary>Pre-declared addresses and storage slots.</summary>
    public AccessList AccessList { get; init; } = AccessList.Empty;

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Eip1559;

    /// <inheritdoc />
    public override ulong? SignedChainId => ChainId;

    internal override int FieldsLength() =>
        Rlp.LengthOfUInt64(ChainId) + Rlp.LengthOfUInt64(Nonce) + Rlp.LengthOfUInt256(MaxPriorityFeePerGas) +
        Rlp.LengthOfUInt256(MaxFeePerGas) + CommonTailLength() + AccessList.EncodedLength();

    internal override void WriteFields(ref RlpWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Nonce);
        writer.WriteUInt256(MaxPriorityFeePerGas);
        writer.WriteUInt256(MaxFeePerGas);
        WriteCommonTail(ref writer);
        AccessList.Write(ref writer);
    }
}
