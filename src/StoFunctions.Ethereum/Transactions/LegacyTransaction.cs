namespace StoFunctions.Ethereum;

/// <summary>
/// An untyped transaction. With <see cref="ChainId"/> set it is signed with EIP-155 replay protection
/// (v = chainId·2 + 35 + yParity); without it, it is a pre-EIP-155 transaction (v = 27 + yParity) valid on every chain.
/// </summary>
public sealed record LegacyTransaction : Transaction
{
    /// <summary>Wei per gas.</summary>
    public UInt256 GasPrice { get; init; }

    /// <summary>EIP-155 chain id, or null for an unprotected transaction.</summary>
    public ulong? ChainId { get; init; }

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Legacy;

    /// <inheritdoc />
    public override ulong? SignedChainId => ChainId;

    internal override int FieldsLength() => Rlp.LengthOfUInt64(Nonce) + Rlp.LengthOfUInt256(GasPrice) + CommonTailLength();

    internal override void WriteFields(ref RlpWriter writer)
    {
        writer.WriteUInt64(Nonce);
        writer.WriteUInt256(GasPrice);
        WriteCommonTail(ref writer);
    }
}
