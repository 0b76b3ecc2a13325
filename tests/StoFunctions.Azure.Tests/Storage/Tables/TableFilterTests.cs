using StoFunctions.Azure.Storage.Tables;

namespace StoFunctions.Azure.Tests.Storage.Tables;

public sealed class TableFilterTests
{
    [Fact]
    public void Create_formats_each_type_as_its_odata_literal()
    {
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        string filter = TableFilter.Create(
            $"S eq {"it's"} and I eq {5} and L eq {5L} and D eq {2.0} and B eq {false} and T ge {when} and G eq {Guid.Empty} and X eq {new byte[] { 0xAB, 1 }}");
        Assert.Equal(
            "S eq 'it''s' and I eq 5 and L eq 5L and D eq 2.0 and B eq false and T ge datetime'2024-01-02T01:04:05.0000000Z' and G eq guid'00000000-0000-0000-0000-000000000000' and X eq X'ab01'",
            filter);
    }

    [Fact]
    public void Create_keeps_an_injection_attempt_inside_one_string_literal()
    {
        Assert.Equal("PartitionKey eq 'a'' or ''1''=''1'", TableFilter.Create($"PartitionKey eq {"a' or '1'='1"}"));
    }

    [Fact]
    public void Literal_rejects_null_and_unsupported_types()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Literal(null));
        Assert.Throws<ArgumentException>(() => TableFilter.Literal(1.5m));
        Assert.Throws<ArgumentException>(() => TableFilter.Literal(double.NaN));
    }
}
