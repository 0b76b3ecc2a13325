using Spectre.Console;
using StoFunctions.Cli;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Cli;

/// <summary>
/// Runs the <c>sto</c> entry point in process against a <see cref="PlatformApp"/> (the real app on its own Azurite
/// and anvil), through the app's HTTP pipeline, with string consoles and a controlled environment (no variable
/// of the machine running the tests leaks in).
/// </summary>
public sealed class StoConsole(PlatformApp? app)
{
    /// <summary>Environment variables the run sees (STO_API_URL, STO_API_KEY, STO_PROFILE).</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>The Key Vault clients of <c>ethereum-create-account</c> (a test vault's); null: the real default.</summary>
    public Func<Uri, global::Azure.Security.KeyVault.Keys.KeyClient>? KeyClients { get; set; }

    /// <summary>The home directory the run sees (for the default profile); null: none.</summary>
    public string? Home { get; set; }

    /// <summary>Runs <c>sto</c> with the API and function key given as options.</summary>
    public Task<StoRun> RunAsync(params string[] args) => RunRawAsync(["--api", "http://localhost", "--key", PlatformApp.FunctionKey, .. args]);

    /// <summary>Runs <c>sto</c> with exactly <paramref name="args"/>.</summary>
    public async Task<StoRun> RunRawAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using HttpMessageHandler? handler = app?.CreateHandler();
        var environment = new CliEnvironment
        {
            Out = Console(stdout),
            Error = Console(stderr),
            GetVariable = name => Variables.TryGetValue(name, out string? value) ? value : null,
            HomeDirectory = Home,
            Handler = handler,
            KeyClientFactory = KeyClients,
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        int exit = await StoCli.RunAsync(args, environment, cancellationToken);
        return new StoRun(exit, stdout.ToString(), stderr.ToString());
    }

    private static IAnsiConsole Console(TextWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = CliEnvironment.RedirectedWidth;
        return console;
    }
}
