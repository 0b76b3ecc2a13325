using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.CapTables;

/// <summary>
/// The sto identity CSV: header <c>name,address</c>, any column order, extra columns ignored — including the
/// stray unnamed third value on every row of sto's own example file, which Python's DictReader tolerates.
/// </summary>
public static class IdentityCsv
{
    /// <summary>
    /// Parses the file. Returns the identities (a later row for an address wins) or, when any row is invalid, the
    /// errors keyed <c>row N</c> (N counts data rows from 1) and no identities.
    /// </summary>
    public static (IReadOnlyDictionary<Address, string> Identities, IDictionary<string, string[]> Errors) Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string text = reader.ReadToEnd();
        if (CsvQuotes.FindError(text) is (_, string quoteError))
        {
            return (new Dictionary<Address, string>(), new Dictionary<string, string[]> { ["file"] = [quoteError] });
        }

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
        };
        using var csv = new CsvReader(new StringReader(text), config);
        var identities = new Dictionary<Address, string>();
        var errors = new Dictionary<string, string[]>();
        if (!csv.Read() || !csv.ReadHeader())
        {
            errors["file"] = ["The CSV is empty; send a header 'name,address' and one row per holder."];
            return (identities, errors);
        }

        string[] header = csv.HeaderRecord ?? [];
        string[] missing = [.. new[] { "name", "address" }.Where(c => !header.Any(h => h.Trim().Equals(c, StringComparison.OrdinalIgnoreCase)))];
        if (missing.Length > 0)
        {
            errors["file"] = [$"The header lacks column(s) {string.Join(", ", missing)}; the first line must name the columns 'name,address'."];
            return (identities, errors);
        }

        int row = 0;
        while (csv.Read())
        {
            row++;
            string name = (csv.GetField("name") ?? "").Trim();
            string address = csv.GetField("address") ?? "";
            var messages = new List<string>();
            if (name.Length == 0)
            {
                messages.Add("name is empty.");
            }

            // Exactly as written, lower-case 0x (README "Input rules"); Address.TryParse alone would take "0X…".
            Address parsed = default;
            if (!address.StartsWith("0x", StringComparison.Ordinal) || !Address.TryParse(address, out parsed))
            {
                messages.Add($"address '{address}' is not a 0x-prefixed 40-hex-digit address with a valid EIP-55 checksum (or all lower case).");
            }

            if (messages.Count > 0)
            {
                errors[$"row {row}"] = [.. messages];
            }
            else
            {
                identities[parsed] = name;
            }
        }

        return errors.Count > 0 ? (new Dictionary<Address, string>(), errors) : (identities, errors);
    }
}
