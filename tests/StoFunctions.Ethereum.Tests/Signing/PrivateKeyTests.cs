using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Signing;

public class PrivateKeyTests(ITestOutputHelper output)
{
    [Fact]
    public void Ethers_v6_accounts_private_key_gives_checksummed_address()
    {
        using var doc = CoreVectors.Json("addresses", "ethers-v6-accounts.json.gz");
        int cases = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var key = PrivateKey.Parse(item.GetProperty("privateKey").GetString()!);
            Assert.Equal(item.GetProperty("address").GetString(), key.Address.ToString());
            cases++;
        }

        output.WriteLine($"addresses/ethers-v6-accounts.json.gz (key -> address): {cases} cases");
        Assert.Equal(259, cases);
    }

    [Fact]
    public void Keyaddrtest_key_is_keccak_of_seed_and_gives_address()
    {
        using var doc = CoreVectors.Json("addresses", "ethereum-tests-BasicTests-keyaddrtest.json");
        int cases = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            string key = item.GetProperty("key").GetString()!;
            Assert.Equal("0x" + key, Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(item.GetProperty("seed").GetString()!)).ToString());
            Assert.Equal("0x" + item.GetProperty("addr").GetString(), PrivateKey.Parse(key).Address.ToLowerHex());
            cases++;
        }

        // sig_of_emptystring is not used: the vectors README documents that it does not reproduce.
        output.WriteLine($"addresses/ethereum-tests-BasicTests-keyaddrtest.json: {cases} cases");
        Assert.Equal(2, cases);
    }

    [Fact]
    public void ToString_never_contains_the_secret()
    {
        const string secret = "4646464646464646464646464646464646464646464646464646464646464646";
        var key = PrivateKey.Parse(secret);
        Assert.DoesNotContain("4646464646", key.ToString(), StringComparison.Ordinal);
        Assert.Contains(key.Address.ToString(), key.ToString(), StringComparison.Ordinal);
        Assert.Equal(Hex.Decode(secret), key.ExportSecret());
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000", "not below the curve order")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "not below the curve order")]
    [InlineData("0x1234", "exactly 32 bytes; got 2")]
    [InlineData("0xzz", "not valid hex")]
    public void Invalid_keys_are_rejected_without_echoing_the_value(string text, string expected)
    {
        var ex = Assert.Throws<SignatureException>(() => PrivateKey.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(text[2..], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Public_key_encodings_round_trip()
    {
        var key = PrivateKey.Parse("0x0000000000000000000000000000000000000000000000000000000000000001");
        PublicKey pub = key.PublicKey;
        Assert.Equal(65, pub.ToUncompressed().Length);
        Assert.Equal(pub, PublicKey.FromBytes(pub.ToUncompressed()));
        Assert.Equal(pub, PublicKey.FromBytes(pub.ToXY()));
        Assert.Equal(pub, PublicKey.FromBytes(pub.ToCompressed()));
        // The generator point G.
        Assert.Equal("0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", Hex.Encode(pub.ToCompressed()));
        Assert.Throws<SignatureException>(() => PublicKey.FromBytes(new byte[10]));
        byte[] offCurve = pub.ToUncompressed();
        offCurve[64] ^= 1;
        Assert.Throws<SignatureException>(() => PublicKey.FromBytes(offCurve));
    }
}
