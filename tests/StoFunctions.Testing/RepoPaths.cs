namespace StoFunctions.Testing;

/// <summary>Locates the repository, its pinned tools and the shared reference material from a test binary.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding <c>StoFunctions.sln</c>).</summary>
    public static string Root => s_root.Value;

    /// <summary><c>../shared</c> beside the repository, or <c>STO_SHARED_DIR</c> when set.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("STO_SHARED_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The public test vectors (read at test time, never copied into the repository).</summary>
    public static string Vectors => Path.Combine(Shared, "vectors");

    /// <summary>Binaries installed by <c>npm ci</c> in <c>tools/</c>.</summary>
    public static string ToolsBin => Path.Combine(Root, "tools", "node_modules", ".bin");

    /// <summary>Path of a file under <c>../shared/vectors</c>; fails with a clear message when it is missing.</summary>
    public static string Vector(params string[] parts)
    {
        string path = Path.Combine([Vectors, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException(
                $"Test vector '{path}' not found. The repository expects the shared reference folder at ../shared " +
                "(or STO_SHARED_DIR).", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StoFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Could not find StoFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
