using Spectre.Console;

namespace StoFunctions.Cli;

/// <summary>
/// What <c>sto</c> takes from the process: its consoles, environment variables, home directory and (tests only)
/// the HTTP handler that reaches the API. Tests build one with string writers and the test server's handler.
/// </summary>
public sealed record CliEnvironment
{
    /// <summary>Results (stdout): tables, JSON, CSV.</summary>
    public required IAnsiConsole Out { get; init; }

    /// <summary>Progress, hints and errors (stderr), so stdout stays machine-readable.</summary>
    public required IAnsiConsole Error { get; init; }

    /// <summary>Reads an environment variable (null when unset).</summary>
    public required Func<string, string?> GetVariable { get; init; }

    /// <summary>The user's home directory (for the default profile file).</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>The handler of the API's HTTP client; null: a new <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Creates the Key Vault client of <c>ethereum-create-account</c>; null: <c>DefaultAzureCredential</c> against the real vault.</summary>
    public Func<Uri, Azure.Security.KeyVault.Keys.KeyClient>? KeyClientFactory { get; init; }

    /// <summary>How often a wait polls the command's status.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The real process: stdout, stderr, the environment and the user's home.</summary>
    public static CliEnvironment FromProcess()
    {
        IAnsiConsole output = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        IAnsiConsole error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        // Redirected output has no width; Spectre's default of 80 would wrap messages and squeeze table columns
        // in files and pipes.
        if (Console.IsOutputRedirected)
        {
            output.Profile.Width = RedirectedWidth;
        }

        if (Console.IsErrorRedirected)
        {
            error.Profile.Width = RedirectedWidth;
        }

        return new()
        {
            Out = output,
            Error = error,
            GetVariable = Environment.GetEnvironmentVariable,
            HomeDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        };
    }

    /// <summary>The width tables and messages get when the stream is a file or a pipe.</summary>
    public const int RedirectedWidth = 400;
}
