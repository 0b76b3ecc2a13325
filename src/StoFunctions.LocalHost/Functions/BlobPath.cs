using System.Text.RegularExpressions;

namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// A <c>[BlobTrigger]</c> path such as <c>distributions/{token}/{name}</c>: the container, and the blob names it
/// matches with their parameter values. As in the Functions host, a parameter matches one path segment, except
/// the last one, which takes the rest of the name (slashes included).
/// </summary>
internal sealed class BlobPath
{
    private readonly Regex _names;

    private BlobPath(string container, Regex names, IReadOnlyList<string> parameters)
    {
        Container = container;
        _names = names;
        Parameters = parameters;
    }

    /// <summary>The container name.</summary>
    public string Container { get; }

    /// <summary>The parameter names, in order.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>Parses <paramref name="path"/> (<c>container/pattern</c>).</summary>
    public static BlobPath Parse(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        string container = slash < 0 ? path : path[..slash];
        string pattern = slash < 0 ? "{name}" : path[(slash + 1)..];
        if (container.Length == 0 || container.Contains('{', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Blob trigger path '{path}' must start with a literal container name, e.g. \"distributions/{{name}}\".");
        }

        var parameters = new List<string>();
        MatchCollection tokens = Regex.Matches(pattern, @"\{([A-Za-z_][A-Za-z0-9_]*)\}");
        var regex = new System.Text.StringBuilder("^");
        int at = 0;
        foreach (Match token in tokens)
        {
            regex.Append(Regex.Escape(pattern[at..token.Index]));
            string name = token.Groups[1].Value;
            bool last = token.Index + token.Length == pattern.Length;
            regex.Append("(?<").Append(name).Append('>').Append(last ? ".+" : "[^/]+").Append(')');
            parameters.Add(name);
            at = token.Index + token.Length;
        }

        regex.Append(Regex.Escape(pattern[at..])).Append('$');
        return new BlobPath(container, new Regex(regex.ToString(), RegexOptions.CultureInvariant), parameters);
    }

    /// <summary>The parameter values when <paramref name="blobName"/> matches, else null.</summary>
    public IReadOnlyDictionary<string, string>? Match(string blobName)
    {
        Match match = _names.Match(blobName);
        return match.Success ? Parameters.ToDictionary(p => p, p => match.Groups[p].Value, StringComparer.OrdinalIgnoreCase) : null;
    }
}
