using StoFunctions.Ethereum;
using StoFunctions.Pipeline.CapTables;

namespace StoFunctions.Pipeline.Tests.CapTables;

public sealed class IdentityCsvTests
{
    [Fact]
    public void The_sto_example_with_a_stray_third_value_per_row_parses_to_checksummed_names()
    {
        const string csv = "name,address\nCrypto Mikko,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,300\nRandom Whale,0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2,500\n";
        var (identities, errors) = IdentityCsv.Parse(new StringReader(csv));
        Assert.Empty(errors);
        Assert.Equal(
            new Dictionary<Address, string>
            {
                [Address.Parse("0x0bdcc26c4b8077374ba9db82164b77d6885b92a6")] = "Crypto Mikko",
                [Address.Parse("0xe738f7a6eb317b8b286c27296cd982445c9d8cd2")] = "Random Whale",
            },
            identities);
    }

    [Fact]
    public void Column_order_is_free_and_a_later_row_for_the_same_address_wins()
    {
        const string csv = "address,email,name\n0x0bdcc26c4b8077374ba9db82164b77d6885b92a6,a@x,First\n0x0BDCC26C4B8077374BA9DB82164B77D6885B92A6,b@x,Second\n";
        var (identities, errors) = IdentityCsv.Parse(new StringReader(csv));
        Assert.Empty(errors);
        Assert.Equal("Second", Assert.Single(identities).Value);
    }

    [Fact]
    public void Bad_rows_are_reported_by_data_row_number_and_nothing_is_returned()
    {
        const string csv = "name,address\nOk,0x0bdcc26c4b8077374ba9db82164b77d6885b92a6\nBadSum,0x0BDCC26C4B8077374ba9DB82164B77d6885b92a6\n,0xe738f7a6eb317b8b286c27296cd982445c9d8cd2\n";
        var (identities, errors) = IdentityCsv.Parse(new StringReader(csv));
        Assert.Empty(identities);
        Assert.Equal(["row 2", "row 3"], errors.Keys.Order());
        Assert.Contains("EIP-55", Assert.Single(errors["row 2"]), StringComparison.Ordinal);
        Assert.Equal(["name is empty."], errors["row 3"]);
    }

    [Fact]
    public void A_header_without_the_address_column_is_a_file_error()
    {
        var (_, errors) = IdentityCsv.Parse(new StringReader("name,wallet\nA,0x0bdcc26c4b8077374ba9db82164b77d6885b92a6\n"));
        Assert.Contains("address", Assert.Single(errors["file"]), StringComparison.Ordinal);
    }
}
