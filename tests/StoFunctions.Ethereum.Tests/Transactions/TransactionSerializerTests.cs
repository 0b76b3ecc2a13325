namespace StoFunctions.Ethereum.Tests.Transactions;

public class TransactionSerializerTests
{
    private static readonly PrivateKey s_key = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");

    private static readonly Eip1559Transaction s_transfer = new()
    {
        ChainId = 31337,
        Nonce = 7,
        MaxPriorityFeePerGas = 1_000_000_000UL,
        MaxFeePerGas = 30_000_000_000UL,
        GasLimit = 60_000UL,
        To = Address.Parse("0x3535353535353535353535353535353535353535"),
        Value = UInt256.Zero,
        Data = Hex.Decode("0xa9059cbb000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266000000000000000000000000000000000000000000000000000000000000000a"),
        AccessList = new AccessList([new AccessListEntry(Address.Parse("0x3535353535353535353535353535353535353535"), [Hash32.Zero])]),
    };

    [Fact]
    public void Signed_1559_round_trips_through_parse_with_every_field()
    {
        SignedTransaction signed = TransactionSigner.Sign(s_transfer, s_key);
        byte[] raw = signed.Serialize();
        Assert.Equal(0x02, raw[0]);
        Assert.Equal(TransactionSerializer.SerializedLength(s_transfer, signed.Signature), raw.Length);
        SignedTransaction parsed = TransactionSerializer.Parse(raw, 31337);
        var tx = Assert.IsType<Eip1559Transaction>(parsed.Transaction);
        Assert.Equal(s_transfer.MaxFeePerGas, tx.MaxFeePerGas);
        Assert.Equal(s_transfer.MaxPriorityFeePerGas, tx.MaxPriorityFeePerGas);
        Assert.Equal(s_transfer.To, tx.To);
        Assert.Equal(s_transfer.AccessList, tx.AccessList);
        Assert.Equal(s_transfer.Data.ToArray(), tx.Data.ToArray());
        Assert.Equal(signed.Signature, parsed.Signature);
        Assert.Equal(s_key.Address, parsed.RecoverSender());
        Assert.Equal(Keccak256.Hash(raw), parsed.Hash);
    }

    [Fact]
    public void Contract_creation_serializes_empty_to_and_parses_back_as_null()
    {
        var create = new Eip1559Transaction { ChainId = 1, GasLimit = 100_000UL, MaxFeePerGas = 1UL, Data = new byte[] { 0x60, 0x00 } };
        SignedTransaction parsed = TransactionSerializer.Parse(TransactionSigner.SignAndSerialize(create, s_key));
        Assert.Null(parsed.Transaction.To);
        Assert.Equal(53_000UL + 16 + 4 + 2, TransactionRules.IntrinsicGas(parsed.Transaction));
    }

    [Theory]
    [InlineData("", 0, "input is empty")]
    [InlineData("03c0", 0, "EIP-4844 blob")]
    [InlineData("05c0", 0, "unknown transaction type 0x05")]
    [InlineData("8180", 0, "RLP string header")]
    [InlineData("02c0", 1, "has 12 RLP fields")]
    [InlineData("02c0ff", 2, "trailing byte")]
    public void Parse_rejects_bad_envelopes_naming_position(string hex, int position, string reason)
    {
        var ex = Assert.Throws<TransactionException>(() => TransactionSerializer.Parse(Hex.Decode(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void Parse_rejects_truncated_signed_transaction()
    {
        byte[] raw = TransactionSigner.SignAndSerialize(s_transfer, s_key);
        var ex = Assert.Throws<TransactionException>(() => TransactionSerializer.Parse(raw.AsSpan(0, raw.Length - 1)));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Position);
    }

    [Fact]
    public void Parse_rejects_yParity_above_one()
    {
        Signature signature = s_key.Sign(TransactionSerializer.SigningHash(s_transfer));
        byte[] raw = TransactionSerializer.Serialize(s_transfer, signature);

        // yParity sits just before r (0xa0 + 32 bytes) and s (0xa0 + 32 bytes): 66 bytes from the end.
        int parityIndex = raw.Length - 67;
        Assert.True(raw[parityIndex] is 0x80 or 0x01);
        raw[parityIndex] = 0x02;
        var ex = Assert.Throws<TransactionException>(() => TransactionSerializer.Parse(raw));
        Assert.Contains("yParity = 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(parityIndex, ex.Position);
    }

    [Fact]
    public void Parse_with_expected_chain_rejects_other_chains_but_accepts_unprotected_legacy()
    {
        byte[] raw = TransactionSigner.SignAndSerialize(s_transfer, s_key);
        var ex = Assert.Throws<TransactionException>(() => TransactionSerializer.Parse(raw, expectedChainId: 1));
        Assert.Contains("chain id 31337 but chain id 1", ex.Message, StringComparison.Ordinal);

        var unprotected = new LegacyTransaction { GasPrice = 1UL, GasLimit = 21_000UL, To = Address.Zero };
        SignedTransaction parsed = TransactionSerializer.Parse(TransactionSigner.SignAndSerialize(unprotected, s_key), expectedChainId: 1);
        Assert.Null(parsed.Transaction.SignedChainId);
    }

    [Fact]
    public void External_key_vault_signature_completes_a_transaction()
    {
        Hash32 hash = TransactionSerializer.SigningHash(s_transfer);
        Signature canonical = s_key.Sign(hash);
        byte[] highS = [.. canonical.R.ToBigEndian(), .. (Secp256k1.Order - canonical.S).ToBigEndian()];
        SignedTransaction signed = TransactionSigner.FromExternalSignature(s_transfer, highS, s_key.PublicKey);
        Assert.Equal(canonical, signed.Signature);
        Assert.Equal(s_key.Address, TransactionSerializer.Parse(signed.Serialize()).RecoverSender());
    }

    [Fact]
    public void Rules_reject_gas_limit_over_64_bits()
    {
        var tx = s_transfer with { GasLimit = UInt256.Parse("18446744073709551616") };
        var ex = Assert.Throws<TransactionException>(() => TransactionRules.Check(tx));
        Assert.Contains("exceeds 64 bits", ex.Message, StringComparison.Ordinal);
        TransactionRules.Check(s_transfer);
    }
}
