using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using StoFunctions.Cli.Api;

namespace StoFunctions.Cli;

/// <summary>
/// What every <c>sto</c> command shares: the global options (<c>--api</c>, <c>--key</c>, <c>--profile</c>,
/// <c>--json</c>), the submission options, and the action wrapper that turns input errors into exit code 2 and
/// an unreachable API into 1 with a message instead of a stack trace.
/// </summary>
public sealed class CliKit(CliEnvironment environment)
{
    /// <summary>The process's consoles and settings.</summary>
    public CliEnvironment Environment { get; } = environment;

    /// <summary><c>--api URL</c>.</summary>
    public Option<string?> Api { get; } = new("--api") { Description = "API base address, e.g. http://localhost:7071 (else STO_API_URL, else the profile)", Recursive = true };

    /// <summary><c>--key KEY</c>.</summary>
    public Option<string?> Key { get; } = new("--key") { Description = "function key, the admin key for tx-restart-nonce (else STO_API_KEY, else the profile); never printed", Recursive = true };

    /// <summary><c>--profile FILE</c>.</summary>
    public Option<string?> Profile { get; } = new("--profile") { Description = "JSON file {\"api\": …, \"key\": …} (else STO_PROFILE, else ~/.config/sto/profile.json when it exists)", Recursive = true };

    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "print the API's JSON only (stdout), progress and errors on stderr", Recursive = true };

    /// <summary>A required option.</summary>
    public static Option<T> Required<T>(string name, string description) => new(name) { Description = description, Required = true };

    /// <summary>An optional option.</summary>
    public static Option<T> Optional<T>(string name, string description) => new(name) { Description = description };

    /// <summary>Runs <paramref name="action"/> with a session, mapping failures to exit codes.</summary>
    public void SetAction(Command command, Func<CliSession, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                ApiSettings settings = ApiSettings.Resolve(result.GetValue(Api), result.GetValue(Key), result.GetValue(Profile), Environment);
                using var session = new CliSession(Environment, new ApiClient(settings, Environment.Handler), result.GetValue(Json));
                return await action(session, result, cancellationToken).ConfigureAwait(false);
            }
            catch (CliInputException e)
            {
                Environment.Error.WriteLine("error: " + e.Message);
                return ExitCodes.BadInput;
            }
            catch (ApiUnreachableException e)
            {
                Environment.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Environment.Error.WriteLine("interrupted.");
                return ExitCodes.Interrupted;
            }
        });

    /// <summary>A command that sends a JSON body and follows the command it starts (<c>--idempotency-key</c>, <c>--no-wait</c>, <c>--timeout</c>).</summary>
    public Command Submit(string name, string description, HttpMethod method, Func<ParseResult, string> path, Func<ParseResult, JsonObject> body, params Option[] options)
    {
        var command = new Command(name, description);
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        SubmitOptionSet submit = AddSubmitOptions(command);
        SetAction(command, (session, result, cancellationToken) =>
            session.SubmitJsonAsync(method, path(result), body(result), submit.Read(result), cancellationToken));
        return command;
    }

    /// <summary>A command that GETs a route and prints it.</summary>
    public Command Read(string name, string description, Func<ParseResult, string> path, params Option[] options)
    {
        var command = new Command(name, description);
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        SetAction(command, (session, result, cancellationToken) => session.ShowAsync(path(result), cancellationToken));
        return command;
    }

    /// <summary>Adds <c>--idempotency-key</c>, <c>--no-wait</c> and <c>--timeout</c> to <paramref name="command"/>.</summary>
    public static SubmitOptionSet AddSubmitOptions(Command command)
    {
        var set = new SubmitOptionSet();
        command.Options.Add(set.IdempotencyKey);
        command.Options.Add(set.NoWait);
        command.Options.Add(set.Timeout);
        return set;
    }

    /// <summary>A route segment from user input, escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}
