using System.Globalization;

namespace StoFunctions.Pipeline.CapTables;

/// <summary>
/// CSV export of a cap table: one header line, then one line per holder in the table's order; cells go through
/// <see cref="FormulaSafeCsvWriter"/> (identity names are user input).
/// </summary>
public static class CapTableCsv
{
    /// <summary>Writes <paramref name="table"/> as CSV.</summary>
    public static void Write(CapTable table, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var csv = new FormulaSafeCsvWriter(writer);
        foreach (string column in new[] { "address", "name", "balance", "raw", "percent", "lastTransferBlock", "lastTransferTime" })
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (CapTableEntry e in table.Holders)
        {
            csv.WriteField(e.Address);
            csv.WriteField(e.Name);
            csv.WriteField(e.Balance);
            csv.WriteField(e.Raw);
            csv.WriteField(e.Percent);
            csv.WriteField(e.LastTransferBlock.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(e.LastTransferTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            csv.NextRecord();
        }
    }
}
