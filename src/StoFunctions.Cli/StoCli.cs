using System.CommandLine;
using Spectre.Console;
using StoFunctions.Cli.Commands;

namespace StoFunctions.Cli;

/// <summary>
/// <c>sto</c>: the operator's command line over the HTTP API (design/api.md). Every command is one or two API
/// calls; state-changing ones wait for their command and show its progress. Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public static class StoCli
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(CliEnvironment environment)
    {
        var kit = new CliKit(environment);
        var root = new RootCommand("sto: issue and manage security tokens through the StoFunctions API.\n" +
            "Configure with --api/--key, STO_API_URL/STO_API_KEY or ~/.config/sto/profile.json; exit codes 0 ok, 1 failed, 2 bad input.")
        {
            kit.Api, kit.Key, kit.Profile, kit.Json,
        };
        foreach (Command command in TokenCommands.Create(kit)
            .Concat(DistributionCommands.Create(kit))
            .Concat(TransactionCommands.Create(kit))
            .Concat(KycCommands.Create(kit))
            .Concat(ReadCommands.Create(kit))
            .Concat(ReadCommands.Exports(kit))
            .Concat(VerifyCommands.Create(kit))
            .Concat(PayoutCommands.Create(kit))
            .Concat(VotingCommands.Create(kit))
            .Concat(IssuerCommands.Create(kit))
            .Concat(AccountCommands.Create(kit))
            .Concat(SystemCommands.Create(kit)))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(CommandCommands.Create(kit));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        RootCommand root = Build(environment);
        ParseResult result = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = environment.Out.Profile.Out.Writer,
            Error = environment.Error.Profile.Out.Writer,
        };
        if (result.Errors.Count > 0)
        {
            // A usage error is bad input (2), not a failure (System.CommandLine's own default is 1).
            foreach (System.CommandLine.Parsing.ParseError error in result.Errors)
            {
                environment.Error.WriteLine("error: " + error.Message);
            }

            environment.Error.WriteLine($"see: sto {string.Join(' ', CommandPath(result.CommandResult.Command))} --help".Replace("  ", " ", StringComparison.Ordinal));
            return ExitCodes.BadInput;
        }

        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> CommandPath(Command command) =>
        command is RootCommand ? [] : (command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? CommandPath(parent) : []).Append(command.Name);
}
