using System.Globalization;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;
using StoFunctions.Pipeline.CapTables;

namespace StoFunctions.Functions.Distributions;

/// <summary>
/// Reads a distribution CSV (<c>external_id,email,name,address,amount</c>, any column order, header required)
/// into the rows of a <c>distribute</c> command. Errors name the file's line: <c>row N</c> is line N (the
/// header is line 1).
/// </summary>
public static class DistributionCsv
{
    /// <summary>The required columns.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["external_id", "email", "name", "address", "amount"];

    private static readonly string[] s_fields = ["externalId", "email", "name", "address", "amount"];

    /// <summary>Parses <paramref name="text"/>; returns the rows and the errors (row or <c>header</c> → messages).</summary>
    public static (JsonArray Rows, Dictionary<string, string[]> Errors) Parse(string text)
    {
        var rows = new JsonArray();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(text))
        {
            errors["file"] = ["The file is empty; it needs the header external_id,email,name,address,amount and at least one row."];
            return (rows, errors);
        }

        if (CsvQuotes.FindError(text.TrimStart('\uFEFF')) is (int badLine, string quoteError))
        {
            errors[Key(badLine)] = [quoteError];
            return (rows, errors);
        }

        // Values are taken exactly as written (README "Input rules"): no trimming, so " 100" is refused like
        // it is in JSON instead of meaning 100 here and an error there.
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.None,
            IgnoreBlankLines = true,
            BadDataFound = null,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
        };
        using var csv = new CsvReader(new StringReader(text.TrimStart('\uFEFF')), config);
        try
        {
            csv.Read();
            csv.ReadHeader();
            string[] header = [.. (csv.HeaderRecord ?? []).Select(h => h.Trim().ToLowerInvariant())];
            var missing = Columns.Where(c => !header.Contains(c)).ToList();
            var unknown = header.Where(h => !Columns.Contains(h)).ToList();
            var duplicated = header.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (missing.Count > 0 || unknown.Count > 0 || duplicated.Count > 0)
            {
                var messages = new List<string>();
                if (missing.Count > 0)
                {
                    messages.Add($"Missing columns: {string.Join(", ", missing)}.");
                }

                if (unknown.Count > 0)
                {
                    messages.Add($"Unknown columns: {string.Join(", ", unknown)}.");
                }

                if (duplicated.Count > 0)
                {
                    messages.Add($"Repeated columns: {string.Join(", ", duplicated)}.");
                }

                messages.Add("The header must name external_id,email,name,address,amount.");
                errors["header"] = [.. messages];
                return (rows, errors);
            }

            int[] index = [.. Columns.Select(c => Array.IndexOf(header, c))];
            while (csv.Read())
            {
                int line = csv.Parser.RawRow;
                string[] record = csv.Parser.Record ?? [];
                if (record.Length != header.Length)
                {
                    errors[Key(line)] = [$"Has {record.Length} columns; the header has {header.Length}."];
                    continue;
                }

                var row = new JsonObject();
                for (int i = 0; i < s_fields.Length; i++)
                {
                    row[s_fields[i]] = record[index[i]];
                }

                row["line"] = line;
                rows.Add(row);
            }
        }
        catch (CsvHelperException e)
        {
            errors["file"] = [$"The file is not valid CSV: {e.Message.Split('\n')[0]}"];
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors["file"] = ["The file has a header but no rows."];
        }

        return (rows, errors);
    }

    /// <summary>The error key of file line <paramref name="line"/>.</summary>
    public static string Key(int line) => "row " + line.ToString(CultureInfo.InvariantCulture);

    /// <summary>The line a <see cref="Key"/> names, or null for a file-wide key (<c>header</c>, <c>file</c>, …).</summary>
    public static int? Line(string key) =>
        key.StartsWith("row ", StringComparison.Ordinal) && int.TryParse(key.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int line) ? line : null;

    /// <summary>
    /// Removes the parse-only <c>line</c> members and returns a map from the planner's <c>rows[i]</c> field
    /// prefix to <c>row N</c>, so planner errors can be reported per file line.
    /// </summary>
    public static Dictionary<string, string> DetachLines(JsonArray rows)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = (JsonObject)rows[i]!;
            map["rows[" + i.ToString(CultureInfo.InvariantCulture) + "]"] = Key(row["line"]!.GetValue<int>());
            row.Remove("line");
        }

        return map;
    }

    /// <summary>Renames planner errors <c>rows[i].field</c> to <c>row N</c> with the field in the message.</summary>
    public static Dictionary<string, string[]> ToRowErrors(IReadOnlyDictionary<string, string[]> errors, IReadOnlyDictionary<string, string> lines)
    {
        var result = new Dictionary<string, List<string>>();
        foreach ((string field, string[] messages) in errors)
        {
            int dot = field.IndexOf('.', StringComparison.Ordinal);
            string prefix = dot < 0 ? field : field[..dot];
            string key = lines.TryGetValue(prefix, out string? row) ? row : field;
            string column = dot < 0 ? "" : field[(dot + 1)..] + ": ";
            if (!result.TryGetValue(key, out List<string>? list))
            {
                result[key] = list = [];
            }

            list.AddRange(messages.Select(m => column + m));
        }

        return result.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
