using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
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

    /// <summary>
    /// The same host published ReadyToRun for this machine's runtime (<c>dotnet publish -p:PublishReadyToRun=true</c>,
    /// framework-dependent) into <c>{Root}/.data/bench/ready-to-run</c>, as <c>./dev publish</c> publishes the Function
    /// App: its own code and its packages (the Azure SDK, Durable Task) start precompiled instead of at tier-0 JIT.
    /// Every scenario starts a fresh host process, so without it each measures the JIT's warm-up as well: one
    /// 2,000-row POST on a fresh stack here took 3.6–4.1 s with the JIT and 1.4–1.9 s ReadyToRun.
    /// </summary>
    /// <exception cref="InvalidOperationException">The publish failed; the message carries its output.</exception>
    public async Task<HostBuild> ReadyToRunAsync(TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        // …/src/{Project}/bin/{Configuration}/{tfm}/{Project}.dll → …/src/{Project}/{Project}.csproj
        string projectDirectory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Dll)!, "..", "..", ".."));
        string project = Path.Combine(projectDirectory, Path.GetFileNameWithoutExtension(Dll) + ".csproj");
        if (!File.Exists(project))
        {
            throw new InvalidOperationException($"The {Label} host {Dll} has no project at {project} to publish ReadyToRun; pass --jit to run the build as it is.");
        }

        string output = Path.Combine(Root, ".data", "bench", "ready-to-run");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (string a in new[] { "publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "--nologo", "-v", "q" })
        {
            info.ArgumentList.Add(a);
        }

        progress.WriteLine($"[{Label}] publishing {Path.GetFileName(project)} ReadyToRun ({RuntimeInformation.RuntimeIdentifier}) to {output}");
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string dll = Path.Combine(output, Path.GetFileName(Dll));
        if (process.ExitCode != 0 || !File.Exists(dll))
        {
            throw new InvalidOperationException($"dotnet publish of {project} ReadyToRun failed (exit {process.ExitCode}); pass --jit to run the build as it is:\n{await stdout}{await stderr}");
        }

        // A build before Directory.Build.props turned tiering off for ReadyToRun publishes still tiers; say which ran.
        progress.WriteLine($"[{Label}] tiered compilation {(TieredCompilationOff(dll) ? "off" : "on")} (its runtimeconfig.json)");
        return this with { Dll = dll };
    }

    private static bool TieredCompilationOff(string dll)
    {
        string config = Path.ChangeExtension(dll, ".runtimeconfig.json");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(config));
        return json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out JsonElement properties)
            && properties.TryGetProperty("System.Runtime.TieredCompilation", out JsonElement tiered)
            && tiered.ValueKind == JsonValueKind.False;
    }
}
