using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3.Accounts;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Differential;

/// <summary>
/// The Key Vault path against Nethereum's external-signer path (<c>EthExternalSignerBase</c> through
/// <c>ExternalAccount</c>), and the Nethereum behaviours the README warns about.
/// </summary>
[Collection(NethereumCollection.Name)]
public class NethereumExternalSignerTests(ITestOutputHelper output)
{
    private const int Seed = 15_2026_56;

    [Fact]
    public async Task Key_vault_style_high_s_signatures_give_our_transaction_through_nethereum_after_make_canonical()
    {
        var random = new Random(Seed);
        output.WriteLine($"seed {Seed}");
        var key = PrivateKey.FromBytes(RandomTransactions.Bytes(random, 32));
        var signer = new KeyVaultStyleSigner(key, canonical: true);
        var account = new ExternalAccount(signer, 31337);

        // ExternalAccount learns its address only in InitialiseAsync; until then Address is null.
        Assert.Null(account.Address);
        await account.InitialiseAsync();
        Assert.Equal(key.Address.ToString(), account.Address);

        for (int i = 0; i < 200; i++)
        {
            Transaction drawn = RandomTransactions.Next(random);
            Eip1559Transaction tx = drawn as Eip1559Transaction ?? new Eip1559Transaction
            {
                ChainId = 31337, Nonce = drawn.Nonce, MaxPriorityFeePerGas = RandomTransactions.Amount(random), MaxFeePerGas = RandomTransactions.Amount(random),
                GasLimit = drawn.GasLimit, To = drawn.To, Value = drawn.Value, Data = drawn.Data,
            };
            var theirs = NethereumTransactions.Build(tx);
            await new Transaction1559Signer().SignExternallyAsync(account.ExternalSigner, theirs);

            byte[] ours = TransactionSigner.FromExternalSignature(tx, signer.LastRs, key.PublicKey).Serialize();
            Assert.True(Secp256k1.Order - UInt256.FromBigEndian(signer.LastRs.AsSpan(32)) <= Secp256k1.HalfOrder, "the vault's s was not high");
            Assert.Equal(Hex.EncodeNoPrefix(ours), Hex.EncodeNoPrefix(theirs.GetRLPEncoded()));
            Assert.Equal(ours, TransactionSigner.SignAndSerialize(tx, key));
        }
    }

    [Fact]
    public async Task Nethereum_does_not_normalise_a_high_s_external_signature_and_our_parser_refuses_the_result()
    {
        var key = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        var signer = new KeyVaultStyleSigner(key, canonical: false);
        var tx = new Eip1559Transaction
        {
            ChainId = 31337, Nonce = 7, MaxPriorityFeePerGas = 1_000_000_000UL, MaxFeePerGas = 30_000_000_000UL, GasLimit = 21_000UL,
            To = Address.Parse("0x3535353535353535353535353535353535353535"), Value = 1UL,
        };
        var theirs = NethereumTransactions.Build(tx);
        await new Transaction1559Signer().SignExternallyAsync(signer, theirs);

        // Nethereum signs with the high s as given (a transaction nodes refuse since EIP-2); ours normalises it.
        var ex = Assert.Throws<TransactionException>(() => TransactionSerializer.Parse(theirs.GetRLPEncoded()));
        Assert.Contains("above n/2", ex.Message, StringComparison.Ordinal);
        Signature normalised = Secp256k1.FromExternalSignature(signer.LastRs, TransactionSerializer.SigningHash(tx), key.PublicKey);
        Assert.True(normalised.IsLowS);
        Assert.Equal(TransactionSigner.SignAndSerialize(tx, key), TransactionSerializer.Serialize(tx, normalised));
    }

    [Fact]
    public void Nethereum_accepts_an_address_whose_eip55_checksum_is_wrong_and_we_refuse_it()
    {
        string good = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646").Address.ToString();
        int letter = good.IndexOfAny("abcdefABCDEF".ToCharArray(), 2);
        char flipped = char.IsUpper(good[letter]) ? char.ToLowerInvariant(good[letter]) : char.ToUpperInvariant(good[letter]);
        string bad = good[..letter] + flipped + good[(letter + 1)..];
        output.WriteLine($"checksummed {good}, one letter's case flipped {bad}");

        Assert.True(AddressUtil.Current.IsChecksumAddress(good));
        Assert.False(AddressUtil.Current.IsChecksumAddress(bad));
        Assert.True(AddressUtil.Current.IsValidEthereumAddressHexFormat(bad));
        string encoded = new Nethereum.ABI.FunctionEncoding.FunctionCallEncoder().EncodeRequest(
            "a9059cbb", [new Nethereum.ABI.Model.Parameter("address", "to", 1), new Nethereum.ABI.Model.Parameter("uint256", "amount", 2)], bad, new System.Numerics.BigInteger(1));
        Assert.Contains(good[2..].ToLowerInvariant(), encoded, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Address.Parse(bad));
    }
}
