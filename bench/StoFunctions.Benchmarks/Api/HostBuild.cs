using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Api;

/// <summary>
/// A built host to measure: the dll <c>dotnet</c> runs and the worktree it came from, whose <c>host.json</c> and
/// <c>local.settings.sample.json</c> give the settings <c>./dev up</c> would use for that build.
/// </summary>
/// <param name="Label">How the tables name it (<c>this</c>, <c>baseline</c>).</param>
/// <param name="Dll">The host assembly (<c>StoFunctions.LocalHost.dll</c>, or <c>StoFunctions.dll</c> before the local host existed).</param>
/// <param name="Root">The worktree root holding <c>host.json</c>.</param>
public sealed record HostBuild(string Label, string Dll, string Root)
{
    /// <summary>This worktree's local host, built with the configuration of the running assembly (see <see cref="AppProcess.AppDll"/>).</summary>
    public static HostBuild Current => new("this", AppProcess.AppDll, RepoPaths.Root);

    /// <summary>
    /// The host built in another worktree (e.g. <c>git worktree add /tmp/base REV &amp;&amp; dotnet build -c Release</c>):
    /// the local host if that commit has one, else the app itself (the ASP.NET Core host before the Functions change);
    /// Release before Debug.
    /// </summary>
    /// <exception cref="FileNotFoundException">No build was found; the message lists the places looked at and the build command.</exception>
    public static HostBuild Baseline(string directory)
    {
        string root = Path.GetFullPath(directory);
        string[] candidates =
        [
            .. new[] { "Release", "Debug" }.SelectMany(c => new[]
            {
                Path.Combine(root, "src", "StoFunctions.LocalHost", "bin", c, "net10.0", "StoFunctions.LocalHost.dll"),
                Path.Combine(root, "src", "StoFunctions", "bin", c, "net10.0", "StoFunctions.dll"),
            }),
        ];
        string? dll = candidates.FirstOrDefault(File.Exists);
        if (dll is null || !File.Exists(Path.Combine(root, "host.json")))
        {
            throw new FileNotFoundException(
                $"--baseline-dir {root} holds no built host (looked for {string.Join(", ", candidates)} and host.json). " +
                $"Build it first: (cd {root} && dotnet build src/StoFunctions.LocalHost -c Release), or src/StoFunctions for a commit before the local host.");
        }

        return new HostBuild("baseline", dll, root);
    }
}
