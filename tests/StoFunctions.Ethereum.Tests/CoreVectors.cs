using System.IO.Compression;
using System.Text.Json;
using StoFunctions.Testing;

namespace StoFunctions.Ethereum.Tests;

/// <summary>Reads the shared test vectors (plain or gzipped JSON, or text) at test time.</summary>
internal static class CoreVectors
{
    public static JsonDocument Json(params string[] parts)
    {
        string path = RepoPaths.Vector(parts);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
    }

    public static string Text(params string[] parts) => File.ReadAllText(RepoPaths.Vector(parts));
}
