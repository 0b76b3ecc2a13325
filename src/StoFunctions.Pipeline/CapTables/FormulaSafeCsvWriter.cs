using System.Globalization;
using CsvHelper;

namespace StoFunctions.Pipeline.CapTables;

/// <summary>
/// The one CSV writer of the service. Every cell that a spreadsheet would read as a formula — one starting with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return — is written with a leading single quote
/// (OWASP "CSV Injection"), so an identity named <c>=cmd|' /C calc'!A0</c> is shown as text, not run.
/// </summary>
/// <remarks>
/// The rule applies to every cell, amounts included, with no per-column exemption: the service never writes a
/// negative amount (balances and raw values are unsigned) nor a <c>-</c>-prefixed address (they start with
/// <c>0x</c>), so numbers and addresses are never changed in practice, while an exemption list would be a hole
/// waiting for the next column. A neutralised cell differs from the input only by the leading quote.
/// </remarks>
public sealed class FormulaSafeCsvWriter : IDisposable
{
    private readonly CsvWriter _csv;

    /// <summary>Writes CSV to <paramref name="writer"/> (left open).</summary>
    public FormulaSafeCsvWriter(TextWriter writer)
    {
        _csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
    }

    /// <summary><paramref name="value"/> as a cell no spreadsheet evaluates.</summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? "";
        }

        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }

    /// <summary>Writes one cell (quoted by the CSV rules when needed).</summary>
    public void WriteField(string? value) => _csv.WriteField(Neutralise(value));

    /// <summary>Ends the current line.</summary>
    public void NextRecord() => _csv.NextRecord();

    /// <inheritdoc />
    public void Dispose() => _csv.Dispose();
}
