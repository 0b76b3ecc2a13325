using System.Globalization;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// Parses the nested <c>multipart/mixed</c> response of a Table <c>$batch</c>: a <c>batchresponse</c> part
/// holding a <c>changesetresponse</c> whose parts are <c>application/http</c> sub-responses, in action order.
/// On failure the changeset holds a single sub-response. Azure.Core's MultipartResponse handles only one
/// level, so this small reader exists.
/// </summary>
internal static class TableBatchResponse
{
    public sealed record SubResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public static IReadOnlyList<SubResponse> Parse(string contentType, string body)
    {
        var responses = new List<SubResponse>();
        Collect(Boundary(contentType), body.Replace("\r\n", "\n", StringComparison.Ordinal), responses);
        return responses;
    }

    private static void Collect(string boundary, string body, List<SubResponse> responses)
    {
        foreach (string part in Parts(body, boundary))
        {
            (Dictionary<string, string> mimeHeaders, string content) = SplitHeaders(part);
            string partType = mimeHeaders.GetValueOrDefault("Content-Type", string.Empty);
            if (partType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                Collect(Boundary(partType), content, responses);
            }
            else if (partType.StartsWith("application/http", StringComparison.OrdinalIgnoreCase))
            {
                responses.Add(ParseHttp(content));
            }
        }
    }

    private static IEnumerable<string> Parts(string body, string boundary)
    {
        string delimiter = "--" + boundary;
        string[] chunks = body.Split(delimiter, StringSplitOptions.None);
        // chunks[0] is the preamble; a chunk starting with "--" follows the close delimiter.
        for (int i = 1; i < chunks.Length; i++)
        {
            if (chunks[i].StartsWith("--", StringComparison.Ordinal))
            {
                yield break;
            }

            yield return chunks[i].TrimStart(' ', '\t').TrimStart('\n');
        }
    }

    private static (Dictionary<string, string> Headers, string Remainder) SplitHeaders(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int position = 0;
        while (position < text.Length)
        {
            int end = text.IndexOf('\n', position);
            if (end < 0)
            {
                end = text.Length;
            }

            string line = text[position..end];
            position = Math.Min(end + 1, text.Length);
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, text[position..]);
    }

    private static SubResponse ParseHttp(string content)
    {
        int lineEnd = content.IndexOf('\n', StringComparison.Ordinal);
        string statusLine = lineEnd < 0 ? content : content[..lineEnd];
        string[] words = statusLine.Split(' ', 3);
        if (words.Length < 2 || !words[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new FormatException($"Table batch response part does not start with an HTTP status line: '{statusLine}'.");
        }

        (Dictionary<string, string> headers, string body) = SplitHeaders(lineEnd < 0 ? string.Empty : content[(lineEnd + 1)..]);
        return new SubResponse(status, headers, body.TrimEnd('\n'));
    }

    private static string Boundary(string contentType)
    {
        foreach (string parameter in contentType.Split(';'))
        {
            string trimmed = parameter.Trim();
            if (trimmed.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed["boundary=".Length..].Trim('"');
            }
        }

        throw new FormatException($"Table batch response Content-Type '{contentType}' has no boundary.");
    }
}
