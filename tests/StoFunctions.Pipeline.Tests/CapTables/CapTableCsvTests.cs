using StoFunctions.Pipeline.CapTables;

namespace StoFunctions.Pipeline.Tests.CapTables;

public sealed class CapTableCsvTests
{
    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("+SUM(1+1)", "'+SUM(1+1)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("Alice = Bob", "Alice = Bob")]
    [InlineData("<Unknown>", "<Unknown>")]
    public void IdentityNameThatASpreadsheetWouldEvaluate_IsWrittenWithALeadingQuote(string name, string cell)
    {
        var table = new CapTable("0xt", "T", "T", 0, "1", "1", 1, 1, DateTimeOffset.UnixEpoch,
            [new CapTableEntry("0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6", name, "1", "1", "100", 1, DateTimeOffset.UnixEpoch)]);
        var writer = new StringWriter();
        CapTableCsv.Write(table, writer);
        string row = writer.ToString().Split("\r\n")[1];
        Assert.StartsWith("0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,", row, StringComparison.Ordinal);
        string nameCell = row["0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,".Length..row.LastIndexOf(",1,1,100,1,", StringComparison.Ordinal)];
        Assert.Equal(cell, nameCell.Trim('"'));
    }

    [Fact]
    public void CarriageReturnAtTheStartOfAName_IsNeutralised() =>
        Assert.Equal("'\rx", FormulaSafeCsvWriter.Neutralise("\rx"));

    [Fact]
    public void AmountsAndAddresses_AreNeverChanged()
    {
        Assert.Equal("0.5", FormulaSafeCsvWriter.Neutralise("0.5"));
        Assert.Equal("123", FormulaSafeCsvWriter.Neutralise("123"));
        Assert.Equal("0xabc", FormulaSafeCsvWriter.Neutralise("0xabc"));
    }
}
