using System.Globalization;
using System.Text.Json;

namespace StoFunctions.Ethereum.Tests.Signing;

public sealed class SignerExtensionsTests
{
    [Fact]
    public async Task SignTransactionAsync_Eip155Example_ReproducesTheSignedBytesHashAndSender()
    {
        using JsonDocument doc = CoreVectors.Json("transactions", "eip155-example.json");
        JsonElement vector = doc.RootElement.GetProperty("cases")[0];
        JsonElement tx = vector.GetProperty("tx");
        var signer = new PrivateKeySigner(PrivateKey.Parse(vector.GetProperty("privateKey").GetString()!));
        var transaction = new LegacyTransaction
        {
            Nonce = tx.GetProperty("nonce").GetUInt64(),
            GasPrice = UInt256.Parse(tx.GetProperty("gasPrice").GetString()!),
            GasLimit = tx.GetProperty("gasLimit").GetUInt64(),
            To = Address.Parse(tx.GetProperty("to").GetString()!),
            Value = UInt256.Parse(tx.GetProperty("value").GetString()!),
            ChainId = tx.GetProperty("chainId").GetUInt64(),
        };

        SignedRawTransaction signed = await signer.SignTransactionAsync(transaction);

        JsonElement derived = vector.GetProperty("derived_not_in_source");
        Assert.Equal(vector.GetProperty("signedTx").GetString(), Hex.Encode(signed.Raw));
        Assert.Equal(derived.GetProperty("txHash").GetString(), signed.Hash.ToString());
        Assert.Equal(Address.Parse(derived.GetProperty("senderAddress").GetString()!), signed.Sender);
        Assert.Equal(signer.Address, signed.Sender);
    }

    [Fact]
    public async Task SignTransactionAsync_SignerReturnsHighS_ThrowsInsteadOfProducingARejectedTransaction()
    {
        var signer = new HighSSigner(new PrivateKeySigner(PrivateKey.Generate()));

        SignatureException e = await Assert.ThrowsAsync<SignatureException>(async () => await signer.SignTransactionAsync(Transfer(nonce: 4)));

        Assert.Contains("high-S", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignTransactionAsync_SignatureRecoversToAnotherAddress_ThrowsNamingBothAddresses()
    {
        var actual = new PrivateKeySigner(PrivateKey.Generate());
        var claimed = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        var signer = new MislabelledSigner(actual, claimed);

        SignatureException e = await Assert.ThrowsAsync<SignatureException>(async () => await signer.SignTransactionAsync(Transfer(nonce: 7)));

        Assert.Contains(actual.Address.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(claimed.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("nonce 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignTransactionAsync_GasBelowIntrinsic_ThrowsBeforeTheSignerIsAsked()
    {
        var signer = new CountingSigner(new PrivateKeySigner(PrivateKey.Generate()));

        await Assert.ThrowsAsync<TransactionException>(async () => await signer.SignTransactionAsync(Transfer(nonce: 0) with { GasLimit = 20_999UL }));

        Assert.Equal(0, signer.Calls);
    }

    private static Eip1559Transaction Transfer(ulong nonce) => new()
    {
        ChainId = 31337,
        Nonce = nonce,
        MaxPriorityFeePerGas = 1UL,
        MaxFeePerGas = 2_000_000_000UL,
        GasLimit = 21_000UL,
        To = Address.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
        Value = UInt256.Parse(1_000.ToString(CultureInfo.InvariantCulture)),
    };

    // Fault injectors: real signatures, deliberately broken in one way each.
    private sealed class HighSSigner(ISigner inner) : ISigner
    {
        public Address Address => inner.Address;

        public PublicKey PublicKey => inner.PublicKey;

        public async ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default)
        {
            Signature low = await inner.SignHashAsync(hash, cancellationToken);
            return new Signature(low.R, Secp256k1.Order - low.S, (byte)(low.YParity ^ 1));
        }
    }

    private sealed class MislabelledSigner(ISigner inner, Address claimed) : ISigner
    {
        public Address Address => claimed;

        public PublicKey PublicKey => inner.PublicKey;

        public ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default) => inner.SignHashAsync(hash, cancellationToken);
    }

    private sealed class CountingSigner(ISigner inner) : ISigner
    {
        public int Calls { get; private set; }

        public Address Address => inner.Address;

        public PublicKey PublicKey => inner.PublicKey;

        public ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default)
        {
            Calls++;
            return inner.SignHashAsync(hash, cancellationToken);
        }
    }
}
