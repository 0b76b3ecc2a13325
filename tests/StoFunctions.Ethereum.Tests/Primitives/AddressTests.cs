using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Primitives;

public class AddressTests(ITestOutputHelper output)
{
    [Fact]
    public void Eip55_examples_checksum_from_lowercase_and_validate()
    {
        using var doc = CoreVectors.Json("addresses", "eip55-examples.json");
        int cases = 0;
        foreach (var item in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string checksummed = item.GetProperty("checksummed").GetString()!;
            string lower = item.GetProperty("lowercase").GetString()!;
            Address fromLower = Address.Parse(lower);
            Address fromChecksummed = Address.Parse(checksummed);
            Assert.Equal(fromLower, fromChecksummed);
            Assert.Equal(lower, fromChecksummed.ToLowerHex());
            Assert.Equal(checksummed, fromLower.ToString());
            cases++;
        }

        int invalid = 0;
        foreach (var item in doc.RootElement.GetProperty("derived_invalid_not_in_source").EnumerateArray())
        {
            string text = item.GetProperty("address").GetString()!;
            var ex = Assert.Throws<FormatException>(() => Address.Parse(text));
            Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
            Assert.False(Address.TryParse(text, out _));
            invalid++;
        }

        output.WriteLine($"addresses/eip55-examples.json: {cases} valid, {invalid} invalid cases");
        Assert.Equal(8, cases);
        Assert.Equal(4, invalid);
    }

    [Fact]
    public void Ethers_v6_accounts_addresses_round_trip_through_checksum()
    {
        using var doc = CoreVectors.Json("addresses", "ethers-v6-accounts.json.gz");
        int cases = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            string expected = item.GetProperty("address").GetString()!;
            Assert.Equal(expected, Address.Parse(expected.ToLowerInvariant()).ToString());
            Assert.Equal(expected, Address.Parse("0x" + expected[2..].ToUpperInvariant()).ToString());
            cases++;
        }

        output.WriteLine($"addresses/ethers-v6-accounts.json.gz (checksum only): {cases} cases");
        Assert.Equal(259, cases);
    }

    [Fact]
    public void Parse_wrong_checksum_message_shows_correct_form()
    {
        var ex = Assert.Throws<FormatException>(() => Address.Parse("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        Assert.Contains("'0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("position 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "no 0x prefix")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", "38 digits")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00", "42 digits")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", "'g' at position 41")]
    public void Parse_malformed_text_throws_naming_the_problem(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.False(Address.TryParse(text, out _));
    }

    [Fact]
    public void Bytes_round_trip_and_value_semantics()
    {
        byte[] bytes = Enumerable.Range(1, 20).Select(i => (byte)(i * 11)).ToArray();
        Address a = Address.FromBytes(bytes);
        Assert.Equal(bytes, a.ToArray());
        Assert.Equal(a, Address.FromBytes(bytes));
        Assert.True(a == Address.FromBytes(bytes));
        Assert.True(a != Address.Zero);
        Assert.Equal("0x0000000000000000000000000000000000000000", Address.Zero.ToString());
        Assert.True(Address.Zero.CompareTo(a) < 0);
        Assert.Throws<ArgumentException>(() => Address.FromBytes(new byte[19]));
        Assert.False(Address.TryParse(null, out _));
    }

    [Fact]
    public void CompareTo_orders_by_big_endian_value_in_the_last_bytes()
    {
        Address lower = Address.Parse("0x00000000000000000000000000000000000000ff");
        Address higher = Address.Parse("0x0000000000000000000000000000000000000100");
        Assert.True(lower.CompareTo(higher) < 0);
        Assert.True(higher.CompareTo(lower) > 0);
        Assert.Equal(0, lower.CompareTo(lower));
    }
}
