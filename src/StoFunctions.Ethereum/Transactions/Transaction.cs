namespace StoFunctions.Ethereum;

/// <summary>
/// Fields every transaction type shares. Instances are immutable records; build variants with <c>with</c>.
/// Serialize, parse and hash them with <see cref="TransactionSerializer"/>; sign with <see cref="TransactionSigner"/>.
/// </summary>
/// <remarks>
/// <see cref="Data"/> compares by reference in record equality; compare serialized bytes for content equality.
/// </remarks>
public abstract record Transaction
{
    /// <summary>The sender's transaction count.</summary>
    public ulong Nonce { get; init; }

    /// <summary>Maximum gas the transaction may use. Nodes require it to fit 64 bits; the encoding allows 256.</summary>
    public UInt256 GasLimit { get; init; }

    /// <summary>The recipient, or null for contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>Wei transferred.</summary>
    public UInt256 Value { get; init; }

    /// <summary>Call data or init code.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The EIP-2718 type.</summary>
    public abstract TransactionType Type { get; }

    /// <summary>The chain id the signature commits to; null only for pre-EIP-155 legacy transactions.</summary>
    public abstract ulong? SignedChainId { get; }

    /// <summary>Length of the RLP of the fields before the signature.</summary>
    internal abstract int FieldsLength();

    /// <summary>Writes the RLP of the fields before the signature.</summary>
    internal abstract void WriteFields(ref RlpWriter writer);

    /// <summary>Common tail length: gasLimit, to, value, data.</summary>
    private protected int CommonTailLength() =>
        Rlp.LengthOfUInt256(GasLimit) + (To is null ? 1 : 1 + Address.Size) + Rlp.LengthOfUInt256(Value) + Rlp.LengthOfBytes(Data.Span);

    private protected void WriteCommonTail(ref RlpWriter writer)
    {
        writer.WriteUInt256(GasLimit);
        if (To is { } to)
        {
            writer.WriteAddress(to);
        }
        else
        {
            writer.WriteBytes([]);
        }

        writer.WriteUInt256(Value);
        writer.WriteBytes(Data.Span);
    }
}
