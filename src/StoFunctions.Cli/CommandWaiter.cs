using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StoFunctions.Cli.Api;
using StoFunctions.Cli.Output;

namespace StoFunctions.Cli;

/// <summary>
/// Follows <c>GET /api/commands/{id}</c> until the command is Completed (exit 0) or Failed (exit 1), showing its
/// progress from <c>customStatus</c> (transactions confirmed of total) on stderr: a progress bar on a terminal,
/// a line per change otherwise. Interrupting or timing out leaves the command running in the service and says
/// how to resume (<c>sto command wait ID</c>).
/// </summary>
public sealed class CommandWaiter(CliSession session)
{
    /// <summary>Waits for <paramref name="id"/>; prints the final status.</summary>
    public async Task<int> WaitAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        try
        {
            JsonElement? final = session.Environment.Error.Profile.Capabilities.Interactive && !session.Json
                ? await WithProgressBarAsync(id, timeout, cancellationToken).ConfigureAwait(false)
                : await WithProgressLinesAsync(id, timeout, cancellationToken).ConfigureAwait(false);
            return final is { } status ? Finish(status) : ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Environment.Error.WriteLine($"interrupted; command {id} goes on in the service. Resume with: sto command wait {id}");
            return ExitCodes.Interrupted;
        }
        catch (StatusRefusedException refused)
        {
            return session.Refused(refused.Response);
        }
    }

    private async Task<JsonElement?> WithProgressLinesAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        string? last = null;
        return await PollAsync(id, timeout, status =>
        {
            string line = Describe(id, status);
            if (line != last)
            {
                session.Environment.Error.WriteLine(line);
                last = line;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement?> WithProgressBarAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        JsonElement? result = null;
        await session.Environment.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(id, maxValue: 1);
                result = await PollAsync(id, timeout, status =>
                {
                    (long done, long total) = Counts(status);
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = done;
                    task.Description = Markup.Escape(Describe(id, status));
                }, cancellationToken).ConfigureAwait(false);
                task.StopTask();
            }).ConfigureAwait(false);
        return result;
    }

    // Null when the timeout passed first (after saying so).
    private async Task<JsonElement?> PollAsync(string id, TimeSpan? timeout, Action<JsonElement> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ApiResponse response = await session.Api.GetAsync("commands/" + Uri.EscapeDataString(id), null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                throw new StatusRefusedException(response);
            }

            JsonElement status = response.Json() ?? throw new InvalidOperationException($"GET /api/commands/{id} answered without JSON.");
            string runtime = RuntimeStatus(status);
            if (runtime is "Completed" or "Failed")
            {
                progress(status);
                return status;
            }

            progress(status);
            if (timeout is { } limit && clock.Elapsed >= limit)
            {
                session.Environment.Error.WriteLine($"command {id} is still {runtime} after {limit.TotalSeconds:0} s; it goes on in the service. Resume with: sto command wait {id}");
                return null;
            }

            await Task.Delay(session.Environment.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private int Finish(JsonElement status)
    {
        bool failed = RuntimeStatus(status) == "Failed";
        if (session.Json)
        {
            session.WriteJson(status);
        }
        else
        {
            PrintSummary(session.Environment.Out, status);
        }

        if (failed)
        {
            session.Environment.Error.WriteLine($"command {Text(status, "id")} failed: {Text(status, "error") ?? "see its transactions"}");
        }

        return failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>The human view of a command status: id, name, state, progress, error, then its output.</summary>
    public static void PrintSummary(IAnsiConsole console, JsonElement status)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (string name in new[] { "id", "name", "runtimeStatus", "createdTime", "lastUpdatedTime", "error" })
        {
            if (status.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null)
            {
                grid.AddRow(new Text(name), new Text(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()));
            }
        }

        (long done, long total) = Counts(status);
        if (total > 0)
        {
            grid.AddRow(new Text("progress"), new Text(Progress(status)));
        }

        console.Write(grid);
        if (status.TryGetProperty("output", out JsonElement output) && output.ValueKind == JsonValueKind.Object)
        {
            console.Write(new Text("output" + Environment.NewLine, new Style(decoration: Decoration.Bold)));
            console.Write(new Padder(JsonView.Render(output), new Padding(2, 0, 0, 0)));
        }
    }

    private static string Describe(string id, JsonElement status)
    {
        string runtime = RuntimeStatus(status);
        (long _, long total) = Counts(status);
        return total > 0 ? $"command {id} {runtime}: {Progress(status)}"
            : ScanProgress(status) is { } scan ? $"command {id} {runtime}: {scan}"
            : $"command {id} {runtime}";
    }

    // A scan has no transactions; its output says how far it got (blocks fromBlock..lastBlock, events found).
    private static string? ScanProgress(JsonElement status) =>
        status.TryGetProperty("output", out JsonElement output) && output.ValueKind == JsonValueKind.Object
        && output.TryGetProperty("fromBlock", out JsonElement from) && output.TryGetProperty("lastBlock", out JsonElement last)
            ? $"blocks {from.GetRawText()}..{last.GetRawText()}" + (output.TryGetProperty("events", out JsonElement events) ? $", {events.GetRawText()} events" : "")
            : null;

    private static string Progress(JsonElement status)
    {
        JsonElement custom = status.GetProperty("customStatus");
        long Get(string name) => custom.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Get("confirmed")}/{Get("transactions")} confirmed (planned {Get("planned")}, signed {Get("signed")}, broadcast {Get("broadcast")}, mined {Get("mined")}, failed {Get("failed")})");
    }

    // Done = confirmed + failed of all transactions; scanner commands have no customStatus (0 of 0).
    private static (long Done, long Total) Counts(JsonElement status)
    {
        if (!status.TryGetProperty("customStatus", out JsonElement custom) || custom.ValueKind != JsonValueKind.Object)
        {
            return (0, 0);
        }

        long Get(string name) => custom.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        return (Get("confirmed") + Get("failed"), Get("transactions"));
    }

    private static string RuntimeStatus(JsonElement status) => Text(status, "runtimeStatus") ?? "Unknown";

    private static string? Text(JsonElement status, string name) =>
        status.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed class StatusRefusedException(ApiResponse response) : Exception("The status read was refused.")
    {
        public ApiResponse Response { get; } = response;
    }
}
