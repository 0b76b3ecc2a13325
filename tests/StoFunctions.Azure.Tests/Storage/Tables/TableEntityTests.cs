using StoFunctions.Azure.Storage.Tables;

namespace StoFunctions.Azure.Tests.Storage.Tables;

public sealed class TableEntityTests
{
    [Fact]
    public void DateTime_values_are_stored_as_utc_offsets()
    {
        var unspecified = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Unspecified);
        var entity = new TableEntity("p", "r") { ["U"] = unspecified, ["Z"] = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc) };
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), entity.GetDateTimeOffset("U"));
        Assert.Equal(DateTimeKind.Utc, entity.GetDateTime("Z")!.Value.Kind);
    }

    [Fact]
    public void Numeric_getters_widen_but_never_narrow()
    {
        var entity = new TableEntity("p", "r") { ["I"] = 7, ["L"] = 7L, ["D"] = 7.5 };
        Assert.Equal(7L, entity.GetInt64("I"));
        Assert.Equal(7.0, entity.GetDouble("L"));
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => entity.GetInt32("L"));
        Assert.Equal("Property 'L' of entity (p, r) is Int64, not Int32.", e.Message);
        Assert.Null(entity.GetString("missing"));
    }

    [Fact]
    public void Setting_null_removes_the_property_and_binary_data_is_stored_as_bytes()
    {
        var entity = new TableEntity("p", "r") { ["A"] = "x", ["B"] = BinaryData.FromBytes([1, 2]) };
        entity["A"] = null;
        Assert.False(entity.ContainsKey("A"));
        Assert.Equal(new byte[] { 1, 2 }, entity.GetBinary("B"));
        Assert.Equal(["B"], entity.Keys);
    }
}
