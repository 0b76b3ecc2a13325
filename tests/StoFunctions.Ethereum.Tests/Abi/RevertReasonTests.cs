using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Ethereum.Tests.Abi;

public sealed class RevertReasonTests
{
    private static readonly AbiError s_tooLarge = AbiError.Parse("error TooLarge(uint256 value, uint256 limit)");

    [Fact]
    public void ErrorString_DecodesTheMessage()
    {
        // The well-known encoding of require(false, "Not enough Ether provided.") from the Solidity docs.
        byte[] data = Hex.Decode("0x08c379a0" +
            "0000000000000000000000000000000000000000000000000000000000000020" +
            "000000000000000000000000000000000000000000000000000000000000001a" +
            "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000");

        RevertReason reason = RevertReason.Decode(data);

        Assert.Equal(RevertKind.Error, reason.Kind);
        Assert.Equal("Not enough Ether provided.", reason.Message);
        Assert.Equal("Error(\"Not enough Ether provided.\")", reason.ToString());
    }

    [Theory]
    [InlineData(0x11UL, "arithmetic overflow or underflow outside an unchecked block")]
    [InlineData(0x12UL, "division or modulo by zero")]
    [InlineData(0x32UL, "array index out of bounds")]
    [InlineData(0x01UL, "assert(false) or a failed assertion")]
    [InlineData(0x99UL, "unknown panic code")]
    public void Panic_DecodesTheCodeAndItsMeaning(ulong code, string meaning)
    {
        RevertReason reason = RevertReason.Decode(AbiError.Panic.Encode((UInt256)code));

        Assert.Equal(RevertKind.Panic, reason.Kind);
        Assert.Equal((UInt256)code, reason.PanicCode);
        Assert.Equal(meaning, reason.Message);
    }

    [Fact]
    public void CustomError_KnownBySelector_DecodesItsArguments()
    {
        byte[] data = s_tooLarge.Encode((UInt256)7UL, (UInt256)5UL);

        RevertReason reason = RevertReason.Decode(data, [AbiError.Parse("error Other(bool)"), s_tooLarge]);

        Assert.Equal(RevertKind.Custom, reason.Kind);
        Assert.Same(s_tooLarge, reason.Error);
        Assert.Equal([(UInt256)7UL, (UInt256)5UL], reason.Arguments.Cast<UInt256>());
        Assert.Equal("TooLarge(7, 5)", reason.ToString());
    }

    [Fact]
    public void UnknownSelectorEmptyAndMalformed_AreReportedWithoutThrowing()
    {
        Assert.Equal(RevertKind.Unknown, RevertReason.Decode(s_tooLarge.Encode(UInt256.One, UInt256.One)).Kind);
        Assert.Equal(RevertKind.Empty, RevertReason.Decode([]).Kind);

        RevertReason truncated = RevertReason.Decode(Hex.Decode("0x08c379a00000"));
        Assert.Equal(RevertKind.Unknown, truncated.Kind);
        Assert.StartsWith("malformed revert data: the data ends at byte 6", truncated.Message, StringComparison.Ordinal);
    }
}
