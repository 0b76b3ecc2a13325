using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using StoFunctions.Composition;
using StoFunctions.Functions.Scanning;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// <c>GET /api/commands</c> [sto command list]: commands newest first (ledger commands and the scanner's), each
/// with the status fields of <c>GET /api/commands/{id}</c> except input and output. Filters: <c>status</c>
/// (Pending/Running/Completed/Failed, comma-separated), <c>command</c> (name), <c>externalId</c> and <c>email</c>
/// (a transfer's, a direct payout's or any distribution row's), <c>from</c>/<c>to</c> (ISO 8601, on the creation
/// time, both inclusive); paging with <c>limit</c> (50, at most 500) and the answer's <c>continuationToken</c>.
/// </summary>
public static class ListCommands
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;
    private static readonly string[] s_statuses = ["Pending", "Running", "Completed", "Failed"];

    /// <summary><c>GET /api/commands</c>.</summary>
    [Function("ListCommands")]
    public static Task<IResult> ListCommandsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "commands")] HttpRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request.Query, request.HttpContext.RequestServices.GetRequiredService<Platform>(), request.HttpContext.RequestServices.GetRequiredService<ScanJobs>(), cancellationToken);

    private static async Task<IResult> HandleAsync(IQueryCollection query, Platform platform, ScanJobs scans, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;

        int limit = DefaultLimit;
        if (Text("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"'{EchoText.Bounded(limitText)}' must be an integer from 1 to {MaxLimit}."];
        }

        HashSet<string>? statuses = null;
        if (Text("status") is { } statusText)
        {
            statuses = [.. statusText.Split(',')];
            if (statuses.FirstOrDefault(s => !s_statuses.Contains(s, StringComparer.Ordinal)) is { } bad)
            {
                errors["status"] = [$"'{EchoText.Bounded(bad)}' is not a status; use {string.Join(", ", s_statuses)} (comma-separated for several)."];
            }
        }

        DateTimeOffset? from = Time(Text("from"), "from", errors);
        DateTimeOffset? to = Time(Text("to"), "to", errors);
        (DateTimeOffset Created, string Id)? after = null;
        if (Text("continuationToken") is { } token)
        {
            after = ParseToken(token);
            if (after is null)
            {
                errors["continuationToken"] = ["Not a continuation token of this route; pass the continuationToken of the previous answer unchanged."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Result(400, "The query of GET /api/commands is invalid: " + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }

        string? command = Text("command");
        string? externalId = Text("externalId");
        string? email = Text("email");
        string filter = Filter(command, from, to);

        var candidates = new List<Candidate>();
        await foreach (TableEntity row in Rows(platform.Tables.GetTableClient(Platform.CommandsTable), filter + " and RowKey eq 'command'", cancellationToken).ConfigureAwait(false))
        {
            candidates.Add(new Candidate(row.PartitionKey, row.GetDateTimeOffset("CreatedTime") ?? DateTimeOffset.UnixEpoch, false, row));
        }

        foreach (TableEntity row in await scans.QueryAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            candidates.Add(new Candidate(row.PartitionKey, row.GetDateTimeOffset("CreatedTime") ?? DateTimeOffset.UnixEpoch, true, row));
        }

        IEnumerable<Candidate> ordered = candidates
            .OrderByDescending(c => c.Created)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Where(c => after is not { } a || c.Created < a.Created || (c.Created == a.Created && string.CompareOrdinal(c.Id, a.Id) > 0));

        var items = new List<JsonObject>();
        string? next = null;
        foreach (Candidate candidate in ordered)
        {
            if (items.Count == limit)
            {
                next = FormatToken(items[^1]);
                break;
            }

            if ((externalId is not null || email is not null) && !await InputMatchesAsync(candidate, platform, externalId, email, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            JsonObject? item = await StatusAsync(candidate, platform, scans, cancellationToken).ConfigureAwait(false);
            if (item is not null && (statuses is null || statuses.Contains(item["runtimeStatus"]?.GetValue<string>() ?? "")))
            {
                items.Add(item);
            }
        }

        return Results.Json(new JsonObject { ["commands"] = new JsonArray([.. items]), ["continuationToken"] = next }, GetCommand.Json);
    }

    private static string Filter(string? command, DateTimeOffset? from, DateTimeOffset? to)
    {
        var parts = new List<string> { "PartitionKey ne ''" };
        if (command is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Name eq {command}"));
        }

        if (from is { } f)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedTime ge {f}"));
        }

        if (to is { } t)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedTime le {t}"));
        }

        return string.Join(" and ", parts);
    }

    private static async IAsyncEnumerable<TableEntity> Rows(TableClient table, string filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AsyncPageable<TableEntity> pages = table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken);
        IAsyncEnumerator<TableEntity> rows = pages.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await rows.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    yield break; // no command yet: the table is created by the first submission
                }

                yield return rows.Current;
            }
        }
        finally
        {
            await rows.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The status without input and output (a distribution's can be megabytes); null when the row vanished.
    private static async Task<JsonObject?> StatusAsync(Candidate candidate, Platform platform, ScanJobs scans, CancellationToken cancellationToken)
    {
        JsonObject? status;
        if (candidate.Scan)
        {
            status = await scans.GetStatusAsync(candidate.Id, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            CommandStatus? ledger = await platform.Commands.GetStatusAsync(candidate.Id, cancellationToken).ConfigureAwait(false);
            status = ledger is null ? null : JsonSerializer.SerializeToNode(ledger, GetCommand.Json)!.AsObject();
        }

        if (status is null)
        {
            return null;
        }

        status.Remove("input");
        status.Remove("output");
        // The paging position travels with the item until the page is cut.
        status["createdTime"] = candidate.Created;
        return status;
    }

    private static async Task<bool> InputMatchesAsync(Candidate candidate, Platform platform, string? externalId, string? email, CancellationToken cancellationToken)
    {
        JsonNode? input;
        try
        {
            input = JsonNode.Parse(candidate.Scan
                ? candidate.Row.GetString("Input") ?? "{}"
                : await CommandInputRows.ReadAsync(platform.Tables.GetTableClient(Platform.CommandsTable), candidate.Row, cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            return false;
        }

        IEnumerable<JsonNode?> subjects = input?["rows"] is JsonArray rows ? rows.Append(input) : [input];
        return subjects.OfType<JsonObject>().Any(s =>
            (externalId is null || Member(s, "externalId") == externalId) && (email is null || string.Equals(Member(s, "email"), email, StringComparison.OrdinalIgnoreCase)));
    }

    private static string? Member(JsonObject node, string name) => node[name] is JsonValue v && v.TryGetValue(out string? text) ? text : null;

    private static DateTimeOffset? Time(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value))
        {
            return value.ToUniversalTime();
        }

        errors[name] = [$"'{EchoText.Bounded(text)}' is not an ISO 8601 time, e.g. 2026-12-05T17:00:00Z."];
        return null;
    }

    private static string FormatToken(JsonObject last)
    {
        DateTimeOffset created = last["createdTime"]!.GetValue<DateTimeOffset>();
        string raw = created.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + last["id"]!.GetValue<string>();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (DateTimeOffset Created, string Id)? ParseToken(string token)
    {
        try
        {
            string padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            string raw = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            int colon = raw.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && long.TryParse(raw.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? (new DateTimeOffset(ticks, TimeSpan.Zero), raw[(colon + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Candidate(string Id, DateTimeOffset Created, bool Scan, TableEntity Row);
}
