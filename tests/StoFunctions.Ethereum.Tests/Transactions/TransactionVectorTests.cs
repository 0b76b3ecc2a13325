using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Transactions;

public class TransactionVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Eip155_example_signing_data_hash_signature_and_sender_match()
    {
        using var doc = CoreVectors.Json("transactions", "eip155-example.json");
        int cases = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var t = c.GetProperty("tx");
            var tx = new LegacyTransaction
            {
                Nonce = t.GetProperty("nonce").GetUInt64(),
                GasPrice = UInt256.Parse(t.GetProperty("gasPrice").GetString()!),
                GasLimit = t.GetProperty("gasLimit").GetUInt64(),
                To = Address.Parse(t.GetProperty("to").GetString()!),
                Value = UInt256.Parse(t.GetProperty("value").GetString()!),
                Data = Hex.Decode(t.GetProperty("data").GetString()!),
                ChainId = t.GetProperty("chainId").GetUInt64(),
            };
            Assert.Equal(c.GetProperty("signingData").GetString(), Hex.Encode(TransactionSerializer.Serialize(tx)));
            Assert.Equal(c.GetProperty("signingHash").GetString(), TransactionSerializer.SigningHash(tx).ToString());

            SignedTransaction signed = TransactionSigner.Sign(tx, PrivateKey.Parse(c.GetProperty("privateKey").GetString()!));
            Assert.Equal(UInt256.Parse(c.GetProperty("r").GetString()!), signed.Signature.R);
            Assert.Equal(UInt256.Parse(c.GetProperty("s").GetString()!), signed.Signature.S);
            Assert.Equal((UInt256)c.GetProperty("v").GetUInt64(), signed.Signature.LegacyV(tx.ChainId));
            Assert.Equal(c.GetProperty("signedTx").GetString(), Hex.Encode(signed.Serialize()));

            var derived = c.GetProperty("derived_not_in_source");
            SignedTransaction parsed = TransactionSerializer.Parse(Hex.Decode(c.GetProperty("signedTx").GetString()!), expectedChainId: 1);
            Assert.Equal(derived.GetProperty("senderAddress").GetString(), parsed.RecoverSender().ToString());
            Assert.Equal(derived.GetProperty("txHash").GetString(), parsed.Hash.ToString());
            Assert.Equal(derived.GetProperty("recoveryId").GetInt32(), parsed.Signature.YParity);
            cases++;
        }

        output.WriteLine($"transactions/eip155-example.json: {cases} cases");
        Assert.Equal(1, cases);
    }

    [Fact]
    public void BasicTests_txtest_pre_homestead_signatures_reproduce_without_low_s()
    {
        using var doc = CoreVectors.Json("transactions", "ethereum-tests-BasicTests-txtest.json");
        int cases = 0;
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            string to = c.GetProperty("to").GetString()!;
            var tx = new LegacyTransaction
            {
                Nonce = c.GetProperty("nonce").GetUInt64(),
                GasPrice = UInt256.Parse(c.GetProperty("gasprice").GetRawText()),
                GasLimit = UInt256.Parse(c.GetProperty("startgas").GetRawText()),
                To = to.Length == 0 ? null : Address.Parse("0x" + to),
                Value = UInt256.Parse(c.GetProperty("value").GetRawText()),
                Data = Hex.Decode(c.GetProperty("data").GetString()!),
            };
            byte[] unsigned = Hex.Decode(c.GetProperty("unsigned").GetString()!);

            // "unsigned" is the 9-item list with empty v, r, s; its first 6 items are the signing payload.
            var reader = new RlpReader(unsigned).ReadList();
            var six = new byte[6][];
            for (int i = 0; i < six.Length; i++)
            {
                six[i] = reader.ReadEncoded().ToArray();
            }

            Assert.Equal(Ethereum.Rlp.EncodeList(six), TransactionSerializer.Serialize(tx));

            // Pre-Homestead: the published signature is the raw RFC 6979 output, not low-S normalised.
            var key = PrivateKey.Parse(c.GetProperty("key").GetString()!);
            Hash32 hash = TransactionSerializer.SigningHash(tx);
            Signature raw = Secp256k1.Sign(key, hash, lowS: false);
            Assert.Equal(c.GetProperty("signed").GetString(), Hex.EncodeNoPrefix(TransactionSerializer.Serialize(tx, raw)));
            Assert.Equal(key.Address, Secp256k1.RecoverAddress(hash, raw));

            // The same signature is rejected by the strict (post-EIP-2) parser when s is in the upper half.
            if (!raw.IsLowS)
            {
                var ex = Assert.Throws<TransactionException>(() => TransactionSerializer.Parse(TransactionSerializer.Serialize(tx, raw)));
                Assert.Contains("above n/2", ex.Message, StringComparison.Ordinal);
            }

            cases++;
        }

        output.WriteLine($"transactions/ethereum-tests-BasicTests-txtest.json: {cases} cases");
        Assert.Equal(2, cases);
    }

    [Fact]
    public void Ethers_v5_legacy_transactions_sign_serialize_parse_and_recover_exactly()
    {
        using var doc = CoreVectors.Json("transactions", "ethers-v5-transactions.json.gz");
        int cases = 0;
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            var key = PrivateKey.Parse(c.GetProperty("privateKey").GetString()!);
            var tx = new LegacyTransaction
            {
                Nonce = (ulong)HexNumber(c, "nonce"),
                GasPrice = HexNumber(c, "gasPrice"),
                GasLimit = HexNumber(c, "gasLimit"),
                To = c.TryGetProperty("to", out var to) ? Address.Parse(to.GetString()!) : null,
                Value = HexNumber(c, "value"),
                Data = c.TryGetProperty("data", out var data) ? Hex.Decode(data.GetString()!) : [],
            };
            string name = c.GetProperty("name").GetString()!;
            string expectedSender = c.GetProperty("accountAddress").GetString()!;
            Assert.Equal(expectedSender, key.Address.ToLowerHex());
            foreach ((LegacyTransaction variant, string suffix) in new[] { (tx, ""), (tx with { ChainId = 5 }, "ChainId5") })
            {
                Assert.True(c.GetProperty("unsignedTransaction" + suffix).GetString() == Hex.Encode(TransactionSerializer.Serialize(variant)), $"{name} unsigned{suffix}");
                string signedHex = c.GetProperty("signedTransaction" + suffix).GetString()!;
                Assert.True(signedHex == Hex.Encode(TransactionSigner.SignAndSerialize(variant, key)), $"{name} signed{suffix}");

                SignedTransaction parsed = TransactionSerializer.Parse(Hex.Decode(signedHex));
                Assert.Equal(variant.ChainId, ((LegacyTransaction)parsed.Transaction).ChainId);
                Assert.Equal(signedHex, Hex.Encode(parsed.Serialize()));
                Assert.Equal(expectedSender, parsed.RecoverSender().ToLowerHex());
            }

            cases++;
        }

        output.WriteLine($"transactions/ethers-v5-transactions.json.gz: {cases} cases (each unsigned+signed, pre-EIP-155 and chain id 5)");
        Assert.Equal(1067, cases);
    }

    [Fact]
    public void Ethers_v5_typed_transactions_sign_serialize_parse_and_recover_exactly()
    {
        using var doc = CoreVectors.Json("transactions", "ethers-v5-typed-transactions.json.gz");
        int eip2930 = 0;
        int eip1559 = 0;
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            var t = c.GetProperty("tx");
            ulong chainId = t.TryGetProperty("chainId", out var id) ? id.GetUInt64() : 0;
            ulong nonce = t.TryGetProperty("nonce", out var n) ? n.GetUInt64() : 0;
            Address? to = t.TryGetProperty("to", out var toElement) ? Address.Parse(toElement.GetString()!) : null;
            byte[] data = t.TryGetProperty("data", out var d) ? Hex.Decode(d.GetString()!) : [];
            AccessList accessList = t.TryGetProperty("accessList", out var list)
                ? new AccessList(list.EnumerateArray().Select(e => new AccessListEntry(
                    Address.Parse(e.GetProperty("address").GetString()!),
                    e.GetProperty("storageKeys").EnumerateArray().Select(k => Hash32.Parse(k.GetString()!)).ToArray())))
                : AccessList.Empty;
            Transaction tx = t.GetProperty("type").GetInt32() switch
            {
                1 => new Eip2930Transaction
                {
                    ChainId = chainId,
                    Nonce = nonce,
                    GasPrice = HexNumber(t, "gasPrice"),
                    GasLimit = HexNumber(t, "gasLimit"),
                    To = to,
                    Value = HexNumber(t, "value"),
                    Data = data,
                    AccessList = accessList,
                },
                2 => new Eip1559Transaction
                {
                    ChainId = chainId,
                    Nonce = nonce,
                    MaxPriorityFeePerGas = HexNumber(t, "maxPriorityFeePerGas"),
                    MaxFeePerGas = HexNumber(t, "maxFeePerGas"),
                    GasLimit = HexNumber(t, "gasLimit"),
                    To = to,
                    Value = HexNumber(t, "value"),
                    Data = data,
                    AccessList = accessList,
                },
                var other => throw new InvalidOperationException($"unexpected type {other}"),
            };
            string name = c.GetProperty("name").GetString()!;
            Assert.True(c.GetProperty("unsigned").GetString() == Hex.Encode(TransactionSerializer.Serialize(tx)), $"{name} unsigned");
            var key = PrivateKey.Parse(c.GetProperty("key").GetString()!);
            string signedHex = c.GetProperty("signed").GetString()!;
            Assert.True(signedHex == Hex.Encode(TransactionSigner.SignAndSerialize(tx, key)), $"{name} signed");

            SignedTransaction parsed = TransactionSerializer.Parse(Hex.Decode(signedHex), chainId);
            Assert.Equal(tx.Type, parsed.Transaction.Type);
            Assert.Equal(signedHex, Hex.Encode(parsed.Serialize()));
            Assert.Equal(c.GetProperty("address").GetString(), parsed.RecoverSender().ToLowerHex());
            _ = tx.Type == TransactionType.Eip1559 ? eip1559++ : eip2930++;
        }

        output.WriteLine($"transactions/ethers-v5-typed-transactions.json.gz: {eip2930} EIP-2930 + {eip1559} EIP-1559 cases");
        Assert.Equal(768, eip2930);
        Assert.Equal(1024, eip1559);
    }

    private static UInt256 HexNumber(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.GetString() is { } text && text != "0x"
            ? UInt256.Parse(text)
            : UInt256.Zero;
}
