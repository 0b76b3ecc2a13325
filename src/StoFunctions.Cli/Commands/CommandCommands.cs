using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
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
        group.Subcommands.Add(List(kit));
        return group;
    }

    private static Command List(CliKit kit)
    {
        Option<string?> status = CliKit.Optional<string?>("--status", "Pending, Running, Completed or Failed (comma-separated for several)");
        Option<string?> name = CliKit.Optional<string?>("--command", "command name, e.g. distribute, issue, scan");
        Option<string?> externalId = CliKit.Optional<string?>("--external-id", "commands with a transfer or distribution row of this external id");
        Option<string?> email = CliKit.Optional<string?>("--email", "commands with a transfer or distribution row of this e-mail");
        Option<string?> from = CliKit.Optional<string?>("--from", "created at or after (ISO 8601)");
        Option<string?> to = CliKit.Optional<string?>("--to", "created at or before (ISO 8601)");
        Option<int?> limit = CliKit.Optional<int?>("--limit", "commands per page (default 50, at most 500)");
        Option<string?> page = CliKit.Optional<string?>("--continuation-token", "the next page: the token the previous page printed");
        var list = new Command("list", "commands newest first, with their status and progress [GET /api/commands]\n  e.g. sto command list --status Failed --from 2026-12-01T00:00:00Z")
        {
            status, name, externalId, email, from, to, limit, page,
        };
        kit.SetAction(list, async (session, r, cancellationToken) =>
        {
            var query = new List<string>();
            void Add(string key, string? value)
            {
                if (value is not null)
                {
                    query.Add(key + "=" + Uri.EscapeDataString(value));
                }
            }

            Add("status", r.GetValue(status));
            Add("command", r.GetValue(name));
            Add("externalId", r.GetValue(externalId));
            Add("email", r.GetValue(email));
            Add("from", r.GetValue(from));
            Add("to", r.GetValue(to));
            Add("limit", r.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("continuationToken", r.GetValue(page));
            return await session.ShowAsync("commands" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken, body =>
            {
                var table = new Table().Border(TableBorder.Simple);
                foreach (string column in new[] { "id", "name", "runtimeStatus", "progress", "createdTime", "error" })
                {
                    table.AddColumn(column);
                }

                foreach (JsonElement item in body.GetProperty("commands").EnumerateArray())
                {
                    string Text(string member) => item.TryGetProperty(member, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "";
                    string progress = item.TryGetProperty("customStatus", out JsonElement custom) && custom.ValueKind == JsonValueKind.Object
                        ? $"{custom.GetProperty("confirmed").GetInt64()}/{custom.GetProperty("transactions").GetInt64()} confirmed, {custom.GetProperty("failed").GetInt64()} failed"
                        : "";
                    table.AddRow(Markup.Escape(Text("id")), Markup.Escape(Text("name")), Markup.Escape(Text("runtimeStatus")), Markup.Escape(progress), Markup.Escape(Text("createdTime")), Markup.Escape(Text("error")));
                }

                session.Environment.Out.Write(table);
                if (body.TryGetProperty("continuationToken", out JsonElement next) && next.ValueKind == JsonValueKind.String)
                {
                    session.Environment.Out.WriteLine($"more: sto command list --continuation-token {next.GetString()} (with the same filters)");
                }
            }).ConfigureAwait(false);
        });
        return list;
    }
}
