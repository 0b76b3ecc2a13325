using System.Numerics;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.Tests.CapTables;

public sealed class TokenUnitsTests
{
    [Theory]
    [InlineData("300500000000000000000", 18, "300.5")]
    [InlineData("9999000000000000000000", 18, "9999")]
    [InlineData("1", 18, "0.000000000000000001")]
    [InlineData("0", 18, "0")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", 0, "115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Format_is_exact_and_trims_trailing_zeros(string raw, int decimals, string expected) =>
        Assert.Equal(expected, TokenUnits.Format(BigInteger.Parse(raw), decimals));

    [Theory]
    [InlineData("1125", 3, 2, "1.12")]
    [InlineData("1135", 3, 2, "1.14")]
    [InlineData("1126", 3, 2, "1.13")]
    [InlineData("-1125", 3, 2, "-1.12")]
    [InlineData("5", 0, 2, "5.00")]
    [InlineData("25", 1, 0, "2")]
    [InlineData("35", 1, 0, "4")]
    public void Round_uses_bankers_rounding_to_exactly_accuracy_decimals(string raw, int decimals, int accuracy, string expected) =>
        Assert.Equal(expected, TokenUnits.Round(BigInteger.Parse(raw), decimals, accuracy));

    [Fact]
    public void Sortable_balances_sort_like_the_numbers_including_negative_and_2_to_256()
    {
        BigInteger[] values = [-BigInteger.Pow(2, 255), -10, -9, 0, 9, 10, BigInteger.Pow(2, 256) - 1];
        string[] keys = [.. values.Select(ScanStore.Sortable)];
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.All(keys, k => Assert.Equal(79, k.Length));
    }
}
