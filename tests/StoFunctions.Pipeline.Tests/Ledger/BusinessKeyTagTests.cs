using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Ledger;

public sealed class BusinessKeyTagTests
{
    private const string Key = "0x5fbdb2315678afecb367f032d93f642f64180aa3/S-1";

    // "STO" + kind 01 + the first 28 bytes of SHA-256("0x5fbd…0aa3/S-1") (computed independently with Python's hashlib).
    private const string KeyTagHex = "53544f01" + "ff58b2c2f6be23c251b43fc520d285e6c890f9dc6999f54d971d0419";

    [Fact]
    public void For_AKey_IsMagicKindAndTheFirst28BytesOfItsSha256()
    {
        Assert.Equal(KeyTagHex, Convert.ToHexStringLower(BusinessKeyTag.For(Key)));
    }

    [Fact]
    public void Filler_IsMagicKindZeroAndZeros()
    {
        Assert.Equal("53544f00" + new string('0', 56), Convert.ToHexStringLower(BusinessKeyTag.Filler()));
    }

    [Fact]
    public void IdempotencyRowKey_DerivesFromTheTagsHash_SoTheTagFindsTheRow()
    {
        Assert.Equal("key-ff58b2c2f6be23c251b43fc520d285e6c890f9dc6999f54d971d0419", CommandKeys.BusinessKeyRow(Key));
        Assert.True(BusinessKeyTag.TryReadKeyHash(BusinessKeyTag.Append([0xa9, 0x05, 0x9c, 0xbb], Key), out byte[] hash));
        Assert.Equal(CommandKeys.BusinessKeyRow(Key), CommandKeys.BusinessKeyRowOf(hash));
    }

    [Fact]
    public void Append_ToCallData_KeepsTheCallAndEndsWithTheTag_StripRemovesIt()
    {
        byte[] call = Hex.Decode("0xa9059cbb" + new string('0', 24) + "70997970c51812dc3a010c7d01b50e0d17dc79c8" + new string('0', 62) + "32");
        byte[] tagged = BusinessKeyTag.Append(call, Key);
        Assert.Equal(call.Length + 32, tagged.Length);
        Assert.Equal(Convert.ToHexStringLower(call) + KeyTagHex, Convert.ToHexStringLower(tagged));
        Assert.Equal(call, BusinessKeyTag.Strip(tagged).ToArray());
        Assert.Equal(call, BusinessKeyTag.Strip(call).ToArray());
    }

    [Fact]
    public void Recognition_TaggedDataAndFiller_AreRecognised_KindsNotConfused()
    {
        Assert.True(BusinessKeyTag.TryReadKeyHash(BusinessKeyTag.For(Key), out byte[] hash));
        Assert.Equal(Convert.FromHexString(KeyTagHex[8..]), hash);
        Assert.False(BusinessKeyTag.IsFiller(BusinessKeyTag.For(Key)));
        Assert.True(BusinessKeyTag.IsFiller(BusinessKeyTag.Filler()));
        Assert.False(BusinessKeyTag.TryReadKeyHash(BusinessKeyTag.Filler(), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("53544f01")] // the magic alone, shorter than a tag
    [InlineData("a9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c80000000000000000000000000000000000000000000000000000000000000032")] // an untagged ERC-20 transfer
    [InlineData("53544f02ff58b2c2f6be23c251b43fc520d285e6c890f9dc6999f54d971d0419")] // unknown kind byte
    [InlineData("53544e01ff58b2c2f6be23c251b43fc520d285e6c890f9dc6999f54d971d0419")] // magic off by one bit
    [InlineData("53544f000000000000000000000000000000000000000000000000000000000001")] // filler kind with a non-zero body (33 bytes, ends differently)
    [InlineData("53544f0000000000000000000000000000000000000000000000000000000001")] // filler kind with a non-zero body
    public void Recognition_UntaggedData_IsNeitherAKeyTagNorAFiller(string hex)
    {
        byte[] data = Convert.FromHexString(hex);
        Assert.False(BusinessKeyTag.TryReadKeyHash(data, out _));
        Assert.False(BusinessKeyTag.IsFiller(data));
        Assert.Equal(data, BusinessKeyTag.Strip(data).ToArray());
    }

    [Fact]
    public void Gas_CoversTheTagUnderBothCalldataRules()
    {
        // Standard cost 16 per non-zero byte; EIP-7623 floor 10 per token, a non-zero byte = 4 tokens.
        Assert.True(BusinessKeyTag.Gas >= 32 * 16);
        Assert.True(BusinessKeyTag.Gas >= 32 * 4 * 10);
        Assert.Equal(21_000UL + BusinessKeyTag.Gas, BusinessKeyTag.FillerGasLimit);
    }
}
