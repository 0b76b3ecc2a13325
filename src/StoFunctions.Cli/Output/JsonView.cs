using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace StoFunctions.Cli.Output;

/// <summary>
/// Renders any JSON answer for people: an object's scalar members as a two-column grid, nested objects as
/// indented sections, arrays of objects as tables (one column per member). <c>--json</c> bypasses it.
/// </summary>
public static class JsonView
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, JsonElement value) => console.Write(Render(value));

    /// <summary>The renderable of <paramref name="value"/>.</summary>
    public static IRenderable Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => RenderObject(value),
        JsonValueKind.Array => RenderArray(value),
        _ => new Text(Scalar(value) + Environment.NewLine),
    };

    private static IRenderable RenderObject(JsonElement value)
    {
        var parts = new List<IRenderable>();
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        bool any = false;
        foreach (JsonProperty member in value.EnumerateObject().Where(m => IsScalar(m.Value) || IsScalarArray(m.Value)))
        {
            grid.AddRow(new Text(member.Name), new Text(IsScalar(member.Value) ? Scalar(member.Value) : string.Join(", ", member.Value.EnumerateArray().Select(Scalar))));
            any = true;
        }

        if (any)
        {
            parts.Add(grid);
        }

        foreach (JsonProperty member in value.EnumerateObject().Where(m => !IsScalar(m.Value) && !IsScalarArray(m.Value)))
        {
            parts.Add(new Text(member.Name + (member.Value.ValueKind == JsonValueKind.Array ? $" ({member.Value.GetArrayLength()})" : ""), new Style(decoration: Decoration.Bold)));
            parts.Add(new Padder(Render(member.Value), new Padding(2, 0, 0, 0)));
        }

        return new Rows(parts);
    }

    private static IRenderable RenderArray(JsonElement value)
    {
        if (value.GetArrayLength() == 0)
        {
            return new Text("(none)" + Environment.NewLine);
        }

        if (IsScalarArray(value))
        {
            return new Text(string.Join(", ", value.EnumerateArray().Select(Scalar)) + Environment.NewLine);
        }

        var columns = new List<string>();
        foreach (JsonElement item in value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
        {
            foreach (JsonProperty member in item.EnumerateObject())
            {
                if (!columns.Contains(member.Name))
                {
                    columns.Add(member.Name);
                }
            }
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(column));
        }

        foreach (JsonElement item in value.EnumerateArray())
        {
            table.AddRow([.. columns.Select(c => (IRenderable)new Text(item.ValueKind == JsonValueKind.Object && item.TryGetProperty(c, out JsonElement cell) ? Cell(cell) : ""))]);
        }

        return table;
    }

    private static bool IsScalar(JsonElement value) => value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    private static bool IsScalarArray(JsonElement value) => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsScalar);

    private static string Cell(JsonElement value) => IsScalar(value) ? Scalar(value) : value.GetRawText();

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "-",
        _ => value.GetRawText(),
    };
}
