using System.Numerics;

namespace StoFunctions.Ethereum.Tests.Primitives;

public class UInt256Tests
{
    private const string Max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("18446744073709551615")]
    [InlineData("18446744073709551616")]
    [InlineData("340282366920938463463374607431768211456")]
    [InlineData("1000000000000000000000000")]
    [InlineData(Max)]
    public void Parse_decimal_round_trips_through_ToString_and_BigInteger(string text)
    {
        UInt256 value = UInt256.Parse(text);
        Assert.Equal(text, value.ToString());
        Assert.Equal(BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture), (BigInteger)value);
        Assert.Equal(value, (UInt256)BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("0x0", "0")]
    [InlineData("0x1A", "26")]
    [InlineData("0x0000ff", "255")]
    [InlineData("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", Max)]
    public void Parse_hex(string text, string expectedDecimal)
    {
        Assert.Equal(expectedDecimal, UInt256.Parse(text).ToString());
    }

    [Theory]
    [InlineData("", "Empty")]
    [InlineData("-1", "'-' at position 0")]
    [InlineData("12 3", "' ' at position 2")]
    [InlineData("1e18", "'e' at position 1")]
    [InlineData("0x", "no hex digits")]
    [InlineData("0x1g", "'g' at position 3")]
    public void Parse_malformed_throws_FormatException_with_position(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => UInt256.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.False(UInt256.TryParse(text, out _));
    }

    [Theory]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    [InlineData("0x10000000000000000000000000000000000000000000000000000000000000000")]
    public void Parse_above_max_throws_OverflowException_with_value(string text)
    {
        var ex = Assert.Throws<OverflowException>(() => UInt256.Parse(text));
        Assert.Contains(text[..20], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_BigInteger_out_of_range_throws()
    {
        Assert.Throws<OverflowException>(() => (UInt256)BigInteger.MinusOne);
        Assert.Throws<OverflowException>(() => (UInt256)(BigInteger.One << 256));
    }

    [Fact]
    public void Big_endian_encodings()
    {
        UInt256 value = 0x1234;
        Assert.Equal(new byte[] { 0x12, 0x34 }, value.ToBigEndianTrimmed());
        Assert.Empty(UInt256.Zero.ToBigEndianTrimmed());
        Span<byte> word = stackalloc byte[32];
        value.WriteBigEndian(word);
        Assert.Equal(Enumerable.Repeat((byte)0, 30).Concat(new byte[] { 0x12, 0x34 }).ToArray(), word.ToArray());
        Assert.Equal(value, UInt256.FromBigEndian(word));
        Assert.Equal(value, UInt256.FromBigEndian([0, 0, 0x12, 0x34]));
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian([]));
        Assert.Throws<ArgumentException>(() => UInt256.FromBigEndian(new byte[33]));
        Assert.Equal(32, UInt256.MaxValue.ToBigEndianTrimmed().Length);
    }

    [Theory]
    [InlineData("0", "0x0")]
    [InlineData("1", "0x1")]
    [InlineData("26", "0x1a")]
    [InlineData("256", "0x100")]
    [InlineData(Max, "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void ToHexQuantity_has_no_leading_zeros(string value, string expected)
    {
        Assert.Equal(expected, UInt256.Parse(value).ToHexQuantity());
    }

    [Fact]
    public void Arithmetic_matches_BigInteger_across_limb_boundaries()
    {
        var random = new Random(1234);
        for (int i = 0; i < 2000; i++)
        {
            BigInteger a = RandomBig(random, random.Next(0, 257));
            BigInteger b = RandomBig(random, random.Next(0, 257));
            UInt256 x = (UInt256)a;
            UInt256 y = (UInt256)b;
            Check(a + b, () => x + y);
            Check(a - b, () => x - y);
            Check(a * b, () => x * y);
            if (!b.IsZero)
            {
                Assert.Equal(a / b, (BigInteger)(x / y));
                Assert.Equal(a % b, (BigInteger)(x % y));
            }

            Assert.Equal(a.CompareTo(b), x.CompareTo(y));
            Assert.Equal(a == b, x == y);
        }

        static void Check(BigInteger expected, Func<UInt256> actual)
        {
            if (expected.Sign < 0 || expected >= BigInteger.One << 256)
            {
                Assert.Throws<OverflowException>(() => actual());
            }
            else
            {
                Assert.Equal(expected, (BigInteger)actual());
            }
        }
    }

    [Fact]
    public void Division_by_zero_throws()
    {
        UInt256 one = UInt256.One;
        Assert.Throws<DivideByZeroException>(() => one / UInt256.Zero);
        Assert.Throws<DivideByZeroException>(() => one % UInt256.Zero);
    }

    [Fact]
    public void Edges_overflow_exactly_at_the_boundary()
    {
        Assert.Throws<OverflowException>(() => UInt256.MaxValue + UInt256.One);
        Assert.Throws<OverflowException>(() => UInt256.Zero - UInt256.One);
        Assert.Equal(UInt256.MaxValue, UInt256.MaxValue * UInt256.One);
        Assert.Equal(UInt256.Zero, UInt256.MaxValue - UInt256.MaxValue);
        Assert.True(UInt256.Zero.IsZero);
        Assert.True(UInt256.MaxValue > UInt256.One);
        Assert.Throws<OverflowException>(() => (ulong)UInt256.MaxValue);
        Assert.Equal(42UL, (ulong)(UInt256)42UL);
    }

    private static BigInteger RandomBig(Random random, int bits)
    {
        if (bits == 0)
        {
            return BigInteger.Zero;
        }

        byte[] bytes = new byte[(bits + 7) / 8];
        random.NextBytes(bytes);
        var value = new BigInteger(bytes, isUnsigned: true);
        return value & ((BigInteger.One << bits) - 1);
    }
}
