using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StoFunctions.Cli.Api;

namespace StoFunctions.Cli.Output;

/// <summary>
/// Prints a refused or failed answer readably: status, title and detail, then one line per <c>errors</c> entry —
/// <c>row N</c> entries of a CSV in row order, so an operator can fix the file row by row.
/// </summary>
public static class ProblemPrinter
{
    /// <summary>Writes <paramref name="response"/> to <paramref name="console"/> (stderr).</summary>
    public static void Print(IAnsiConsole console, ApiResponse response)
    {
        int status = (int)response.StatusCode;
        JsonElement? json = response.Json();
        if (json is not { ValueKind: JsonValueKind.Object } problem)
        {
            string body = response.Body.Length > 2000 ? response.Body[..2000] + "…" : response.Body;
            console.WriteLine($"error: the API answered {status} {response.StatusCode}{(body.Length > 0 ? ": " + body : "")}");
            return;
        }

        string? title = Text(problem, "title");
        string? detail = Text(problem, "detail");
        console.WriteLine($"error: {status} {title ?? response.StatusCode.ToString()}");
        if (detail is not null && detail != title)
        {
            console.WriteLine("  " + detail);
        }

        if (problem.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in errors.EnumerateObject().OrderBy(e => RowNumber(e.Name)).ThenBy(e => e.Name, StringComparer.Ordinal))
            {
                IEnumerable<string> messages = entry.Value.ValueKind == JsonValueKind.Array
                    ? entry.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText())
                    : [entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText()];
                foreach (string message in messages)
                {
                    console.WriteLine($"  {entry.Name}: {message}");
                }
            }
        }

        if (status is 401)
        {
            console.WriteLine("  The key was missing or not accepted: pass --key, set STO_API_KEY or put \"key\" in the profile.");
        }
        else if (status is 403)
        {
            console.WriteLine("  This route needs the admin key (AdminKeys__master, the Function App's master key).");
        }

        if (Text(problem, "traceId") is { } trace)
        {
            console.WriteLine("  traceId: " + trace);
        }
    }

    // "row 10" sorts after "row 9"; other keys after all rows.
    private static long RowNumber(string key) =>
        key.StartsWith("row ", StringComparison.Ordinal) && long.TryParse(key.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out long row) ? row : long.MaxValue;

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
