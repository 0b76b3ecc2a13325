using System.Reflection;
using System.Security.Cryptography;

namespace StoFunctions.Functions.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in the app assembly (<c>Site/</c>, logical names <c>Dashboard/…</c>)
/// so they ship inside the Function App with no build step and no file system access at run time. A request
/// path is only ever a key into this fixed set: nothing outside it can be named, so there is no traversal.
/// </summary>
public sealed class DashboardFiles
{
    private const string Prefix = "Dashboard/";

    private readonly Dictionary<string, DashboardFile> _files;

    private DashboardFiles(Dictionary<string, DashboardFile> files) => _files = files;

    /// <summary>The files embedded in the app assembly, read once.</summary>
    public static DashboardFiles Embedded { get; } = Load(typeof(DashboardFiles).Assembly);

    /// <summary>Every file's path relative to the dashboard root (<c>index.html</c>, <c>pages/tokens.js</c>, …).</summary>
    public IEnumerable<string> Paths => _files.Keys;

    /// <summary>The file at <paramref name="path"/> (exact, case-sensitive, <c>/</c>-separated), or null.</summary>
    public DashboardFile? Find(string path) => _files.GetValueOrDefault(path);

    private static DashboardFiles Load(Assembly assembly)
    {
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames())
        {
            // MSBuild's %(RecursiveDir) uses the build machine's separator; the site's paths use '/'.
            string logical = name.Replace('\\', '/');
            if (!logical.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] content = buffer.ToArray();
            string path = logical[Prefix.Length..];
            files[path] = new DashboardFile(path, content, ContentTypeOf(path), "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"");
        }

        return new DashboardFiles(files);
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json; charset=utf-8",
        _ => "application/octet-stream",
    };
}
