using Spectre.Console;
using System.CommandLine;
using System.Text.Json;
using StoFunctions.Cli.Api;

namespace StoFunctions.Cli.Commands;

/// <summary><c>command show|wait|list</c>: follow any command by id, whoever started it (HTTP, queue, blob drop).</summary>
public static class CommandCommands
{
    /// <summary>The <c>command</c> group.</summary>
    public static Command Create(CliKit kit)
    {
        var group = new Command("command", "show, wait for or list commands");

        Argument<string> showId = new("id") { Description = "command id (from the 202 answer)" };
        var show = new Command("show", "a command's status, progress and output [GET /api/commands/{id}]\n  e.g. sto command show 5f1c…") { showId };
        kit.SetAction(show, async (session, r, cancellationToken) =>
        {
            ApiResponse response = await session.Api.GetAsync("commands/" + CliKit.Segment(r.GetValue(showId)!), null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return session.Refused(response);
            }

            JsonElement status = response.Json() ?? throw new InvalidOperationException("The command status is not JSON.");
            if (session.Json)
            {
                session.WriteJson(status);
            }
            else
            {
                CommandWaiter.PrintSummary(session.Environment.Out, status);
            }

            return ExitCodes.Ok;
        });
        group.Subcommands.Add(show);

        Argument<string> waitId = new("id") { Description = "command id" };
        Option<int?> timeout = CliKit.Optional<int?>("--timeout", "stop waiting after this many seconds (exit 1; the command goes on)");
        var wait = new Command("wait", "wait until the command is Completed (exit 0) or Failed (exit 1), showing its progress; resumes an interrupted wait\n  e.g. sto command wait 5f1c…") { waitId, timeout };
        kit.SetAction(wait, (session, r, cancellationToken) =>
            new CommandWaiter(session).WaitAsync(r.GetValue(waitId)!, r.GetValue(timeout) is int s ? TimeSpan.FromSeconds(s) : null, cancellationToken));
        group.Subcommands.Add(wait);
        return group;
    }
}
