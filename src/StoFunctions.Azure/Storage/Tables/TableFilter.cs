using System.Globalization;
using System.Text;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions from interpolated strings whose holes become typed literals, so
/// values can never change the expression's structure (no OData injection):
/// <code>TableFilter.Create($"PartitionKey eq {pk} and Count ge {5L}")</code> gives
/// <c>PartitionKey eq 'it''s' and Count ge 5L</c>.
/// </summary>
public static class TableFilter
{
    /// <summary>Formats the filter, turning every interpolated value into an OData literal.</summary>
    /// <exception cref="ArgumentException">A value has a type OData filters cannot express.</exception>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        object?[] arguments = filter.GetArguments();
        var literals = new object[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            literals[i] = Literal(arguments[i]);
        }

        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>The OData literal for a value: <c>'text'</c> (quotes doubled), <c>5</c>, <c>5L</c>, <c>1.5</c>,
    /// <c>true</c>, <c>datetime'…Z'</c>, <c>guid'…'</c>, <c>X'hex'</c>.</summary>
    /// <exception cref="ArgumentException">The value is null or of an unsupported type.</exception>
    public static string Literal(object? value) => value switch
    {
        null => throw new ArgumentException("OData filters have no null literal; test for a missing property differently.", nameof(value)),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d when double.IsFinite(d) => FormatDouble(d),
        bool b => b ? "true" : "false",
        DateTimeOffset t => "datetime'" + TableEntityJson.FormatDateTime(t) + "'",
        DateTime t => "datetime'" + TableEntityJson.FormatDateTime(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)) + "'",
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexStringLower(bytes) + "'",
        _ => throw new ArgumentException(
            $"A {value.GetType().Name} cannot be an OData filter literal; use string, int, long, finite double, bool, DateTime(Offset), Guid or byte[].",
            nameof(value)),
    };

    private static string FormatDouble(double d)
    {
        string text = d.ToString("R", CultureInfo.InvariantCulture);
        // Without a '.' or exponent the service would read an integral double as Int32.
        var builder = new StringBuilder(text);
        if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
        {
            builder.Append(".0");
        }

        return builder.ToString();
    }
}
