using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Transactions;

public class ContractAddressTests(ITestOutputHelper output)
{
    [Fact]
    public void Create_examples_match_for_nonces_0_to_3()
    {
        using var doc = CoreVectors.Json("contract-address", "create-address-examples.json");
        int cases = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            Address address = ContractAddress.Create(Address.Parse(c.GetProperty("sender").GetString()!), c.GetProperty("nonce").GetUInt64());
            Assert.Equal(c.GetProperty("address").GetString(), address.ToLowerHex());
            Assert.Equal(c.GetProperty("addressChecksummed").GetString(), address.ToString());
            cases++;
        }

        output.WriteLine($"contract-address/create-address-examples.json: {cases} cases");
        Assert.Equal(4, cases);
    }

    [Fact]
    public void Ethers_v6_create_vectors_match_including_two_byte_nonces()
    {
        using var doc = CoreVectors.Json("contract-address", "ethers-v6-create.even.json.gz");
        int cases = 0;
        foreach (var sender in doc.RootElement.EnumerateArray())
        {
            Address from = Address.Parse(sender.GetProperty("sender").GetString()!);
            foreach (var create in sender.GetProperty("creates").EnumerateArray())
            {
                Assert.Equal(create.GetProperty("address").GetString(), ContractAddress.Create(from, create.GetProperty("nonce").GetUInt64()).ToString());
                cases++;
            }
        }

        output.WriteLine($"contract-address/ethers-v6-create.even.json.gz: {cases} cases");
        Assert.Equal(80, cases);
    }

    [Fact]
    public void Eip1014_create2_examples_match()
    {
        using var doc = CoreVectors.Json("contract-address", "eip1014-create2-examples.json");
        int cases = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            Address deployer = Address.Parse(c.GetProperty("sender").GetString()!);
            Hash32 salt = Hash32.Parse(c.GetProperty("salt").GetString()!);
            byte[] initCode = Hex.Decode(c.GetProperty("initCode").GetString()!);
            string expected = c.GetProperty("address").GetString()!;
            Assert.Equal(expected, ContractAddress.Create2(deployer, salt, initCode).ToString());
            Assert.Equal(expected, ContractAddress.Create2(deployer, salt, Keccak256.Hash(initCode)).ToString());
            cases++;
        }

        output.WriteLine($"contract-address/eip1014-create2-examples.json: {cases} cases");
        Assert.Equal(7, cases);
    }

    [Fact]
    public void Create_with_large_nonce_matches_generic_rlp()
    {
        Address sender = Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        foreach (ulong nonce in new ulong[] { 0x7f, 0x80, 0xffff, 0x1_0000_0000, ulong.MaxValue - 1 })
        {
            byte[] rlp = Ethereum.Rlp.Encode(RlpItem.List(RlpItem.String(sender.ToArray()), RlpItem.Integer(nonce)));
            Assert.Equal(Address.FromBytes(Keccak256.Hash(rlp).ToArray().AsSpan(12)), ContractAddress.Create(sender, nonce));
        }
    }
}
