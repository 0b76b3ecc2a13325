using System.Globalization;

namespace StoFunctions.Pipeline.CapTables;

/// <summary>
/// Finds the two quoting mistakes a CSV reader otherwise misreports: a line break inside a quoted field (the
/// reader joins the lines into one value, so the error names a later line and complains about the value) and a
/// quote that is never closed (the reader swallows the rest of the file into one field and reports a column
/// count). Both are refused here with the line where the quote opened.
/// </summary>
public static class CsvQuotes
{
    /// <summary>The first quoting mistake in <paramref name="text"/> (line numbers from 1), or null.</summary>
    public static (int Line, string Message)? FindError(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int line = 1;
        bool quoted = false;
        int openedAt = 0;
        bool fieldStart = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else if (c is '\n' or '\r')
                {
                    if (text.IndexOf('"', i) < 0)
                    {
                        break;
                    }

                    return (openedAt, $"Line {Number(openedAt)} has a line break inside a quoted value (the quote opened on line {Number(openedAt)} is still open on line {Number(line + 1)}); a value cannot span lines — remove the line break or close the quote on line {Number(openedAt)}.");
                }

                continue;
            }

            if (c == '"' && fieldStart)
            {
                quoted = true;
                openedAt = line;
            }
            else if (c == '\n')
            {
                line++;
            }

            fieldStart = c is ',' or '\n' or '\r';
        }

        return quoted
            ? (openedAt, $"Line {Number(openedAt)} opens a quoted value that is never closed; add the closing \" (write \"\" for a quote inside a value).")
            : null;
    }

    private static string Number(int line) => line.ToString(CultureInfo.InvariantCulture);
}
