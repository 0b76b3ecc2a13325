namespace StoFunctions.Ethereum.Tests.Primitives;

public class TokenAmountTests
{
    [Theory]
    [InlineData("300.5", 18, "300500000000000000000")]
    [InlineData("300", 18, "300000000000000000000")]
    [InlineData("0.000001", 6, "1")]
    [InlineData("0", 0, "0")]
    [InlineData("12345", 0, "12345")]
    [InlineData("007.50", 2, "750")]
    public void Parse_gives_raw_integer(string text, int decimals, string raw)
    {
        Assert.Equal(raw, TokenAmount.Parse(text, decimals).ToString());
    }

    [Theory]
    [InlineData("300500000000000000000", 18, "300.5")]
    [InlineData("300000000000000000000", 18, "300")]
    [InlineData("1", 6, "0.000001")]
    [InlineData("0", 18, "0")]
    [InlineData("750", 2, "7.5")]
    [InlineData("12345", 0, "12345")]
    public void Format_has_no_trailing_zeros_or_dot(string raw, int decimals, string expected)
    {
        Assert.Equal(expected, TokenAmount.Format(UInt256.Parse(raw), decimals));
    }

    [Theory]
    [InlineData("", 18, "empty")]
    [InlineData("-1", 18, "signs are not allowed")]
    [InlineData("+1", 18, "signs are not allowed")]
    [InlineData("1e18", 18, "exponent")]
    [InlineData(" 1", 18, "whitespace")]
    [InlineData("1,000", 18, "separators")]
    [InlineData("1.2.3", 18, "second decimal point")]
    [InlineData(".5", 18, "both sides")]
    [InlineData("5.", 18, "both sides")]
    [InlineData("1.1234567", 6, "7 fraction digits but this token allows at most 6")]
    [InlineData("1.5", 0, "at most 0")]
    public void Parse_rejects_malformed_amounts_saying_why(string text, int decimals, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => TokenAmount.Parse(text, decimals));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_overflow_throws()
    {
        Assert.Throws<OverflowException>(() => TokenAmount.Parse("115792089237316195423570985008687907853269984665640564039458", 18));
        Assert.Equal(UInt256.MaxValue, TokenAmount.Parse(UInt256.MaxValue.ToString(), 0));
    }

    [Fact]
    public void Parse_and_Format_round_trip_for_random_amounts()
    {
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            int decimals = random.Next(0, 30);
            UInt256 raw = new(0, 0, (ulong)random.NextInt64(), (ulong)random.NextInt64());
            Assert.Equal(raw, TokenAmount.Parse(TokenAmount.Format(raw, decimals), decimals));
        }
    }

    [Fact]
    public void Decimals_out_of_range_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.Parse("1", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.Format(UInt256.One, 78));
    }
}
