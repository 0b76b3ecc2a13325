namespace StoFunctions.Ethereum;

/// <summary>An EIP-2930 (type 1) transaction: a gas price plus an access list.</summary>
public sealed record Eip2930Transaction : Transaction
{
    /// <summary>The chain id (always part of the signature).</summary>
    public ulong ChainId { get; init; }

    /// <summary>Wei per gas.</summary>
    public UInt256 GasPrice { get; init; }

    /// <summary>Pre-declared addresses and storage slots.</summary>
    public AccessList AccessList { get; init; } = AccessList.Empty;

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Eip2930;

    /// <inheritdoc />
    public override ulong? SignedChainId => ChainId;

    internal override int FieldsLength() =>
        Rlp.LengthOfUInt64(ChainId) + Rlp.LengthOfUInt64(Nonce) + Rlp.LengthOfUInt256(GasPrice) + CommonTailLength() + AccessList.EncodedLength();

    internal override void WriteFields(ref RlpWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Nonce);
        writer.WriteUInt256(GasPrice);
        WriteCommonTail(ref writer);
        AccessList.Write(ref writer);
    }
}
