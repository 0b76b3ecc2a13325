using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Tests.Functions.Commands;

public sealed class AmountTextTests
{
    [Theory]
    [InlineData("300", 18, "300000000000000000000")]
    [InlineData("300.5", 18, "300500000000000000000")]
    [InlineData("0.000000000000000001", 18, "1")]
    [InlineData("9999", 0, "9999")]
    [InlineData("1.25", 2, "125")]
    [InlineData("0.5", 2, "50")]
    [InlineData("0", 2, "0")]
    public void ValidAmount_ParsesToTheRawInteger(string text, int decimals, string raw)
    {
        Assert.True(AmountText.TryParse(text, decimals, out UInt256 value, out string? error), error);
        Assert.Equal(raw, value.ToString());
    }

    [Theory]
    [InlineData("-1", 18, "not a decimal amount")]
    [InlineData("1e5", 18, "not a decimal amount")]
    [InlineData("1,000", 18, "not a decimal amount")]
    [InlineData("1.", 18, "not a decimal amount")]
    [InlineData(".5", 18, "not a decimal amount")]
    [InlineData("", 18, "not a decimal amount")]
    [InlineData(" 7 ", 2, "has whitespace")]
    [InlineData("\u00a07", 2, "has whitespace")]
    [InlineData("7\t", 2, "has whitespace")]
    [InlineData("0001", 2, "has leading zeros; write it without them, e.g. \"1\"")]
    [InlineData("00.5", 2, "has leading zeros; write it without them, e.g. \"0.5\"")]
    [InlineData("1.5", 0, "has 1 fraction digits but the token has 0 decimals")]
    [InlineData("1.001", 2, "has 3 fraction digits but the token has 2 decimals")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936", 0, "exceeds 2^256-1")]
    public void InvalidAmount_IsRefusedWithTheReason(string text, int decimals, string reason)
    {
        Assert.False(AmountText.TryParse(text, decimals, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9199000000000000000000", 18, "9199")]
    [InlineData("300500000000000000000", 18, "300.5")]
    [InlineData("1", 18, "0.000000000000000001")]
    [InlineData("0", 18, "0")]
    [InlineData("125", 0, "125")]
    public void RawAmount_FormatsInTokenUnitsWithoutTrailingZeros(string raw, int decimals, string text) =>
        Assert.Equal(text, AmountText.Format(UInt256.Parse(raw), decimals));
}
