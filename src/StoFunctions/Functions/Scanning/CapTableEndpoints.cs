using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Scanning;

/// <summary><c>GET /api/tokens/{token}/holders</c> (JSON or CSV) and <c>PUT /api/identities</c>.</summary>
public static class CapTableEndpoints
{
    /// <summary>Upper bound of <c>maxEntries</c>.</summary>
    public const int MaxEntriesLimit = 100_000;

    /// <summary><c>GET /api/tokens/{token}/holders</c>: see <see cref="GetHoldersAsync"/>.</summary>
    [Function("GetHolders")]
    public static Task<IResult> GetHoldersFunctionAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/holders")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        GetHoldersAsync(token, request, request.HttpContext.RequestServices.GetRequiredService<CapTableBuilder>(), cancellationToken);

    /// <summary><c>PUT /api/identities</c>: see <see cref="PutIdentitiesAsync"/>.</summary>
    [Function("PutIdentities")]
    public static Task<IResult> PutIdentitiesFunctionAsync([HttpTrigger(AuthorizationLevel.Function, "put", Route = "identities")] HttpRequest request, CancellationToken cancellationToken)
    {
        IServiceProvider services = request.HttpContext.RequestServices;
        return PutIdentitiesAsync(request.HttpContext, services.GetRequiredService<ScanStore>(), services.GetRequiredService<ScanJobs>(), cancellationToken);
    }

    /// <summary>The cap table; <c>Accept: text/csv</c> gives CSV.</summary>
    public static async Task<IResult> GetHoldersAsync(string token, HttpRequest request, CapTableBuilder builder, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(token, out Address address) is { } bad)
        {
            return bad;
        }

        var errors = new Dictionary<string, string[]>();
        IQueryCollection q = request.Query;
        var query = new CapTableQuery();
        if (q.TryGetValue("orderBy", out var orderBy))
        {
            if (Enum.TryParse(orderBy.ToString(), ignoreCase: true, out CapTableOrder order) && Enum.IsDefined(order) && !int.TryParse(orderBy.ToString(), out _))
            {
                query = query with { OrderBy = order };
            }
            else
            {
                errors["orderBy"] = ["Must be balance, name, updated or address."];
            }
        }

        if (q.TryGetValue("orderDirection", out var direction))
        {
            switch (direction.ToString().ToLowerInvariant())
            {
                case "asc": query = query with { Descending = false }; break;
                case "desc": query = query with { Descending = true }; break;
                default: errors["orderDirection"] = ["Must be asc or desc."]; break;
            }
        }

        if (q.TryGetValue("includeEmpty", out var includeEmpty))
        {
            if (bool.TryParse(includeEmpty.ToString(), out bool include))
            {
                query = query with { IncludeEmpty = include };
            }
            else
            {
                errors["includeEmpty"] = ["Must be true or false."];
            }
        }

        if (q.TryGetValue("maxEntries", out var maxEntries))
        {
            if (int.TryParse(maxEntries.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int max) && max is >= 1 and <= MaxEntriesLimit)
            {
                query = query with { MaxEntries = max };
            }
            else
            {
                errors["maxEntries"] = [$"Must be an integer 1..{MaxEntriesLimit}."];
            }
        }

        if (q.TryGetValue("accuracy", out var accuracy))
        {
            if (int.TryParse(accuracy.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int digits) && digits <= 77)
            {
                query = query with { Accuracy = digits };
            }
            else
            {
                errors["accuracy"] = ["Must be an integer 0..77 (decimals shown)."];
            }
        }

        if (q.TryGetValue("atBlock", out var atBlock))
        {
            if (ulong.TryParse(atBlock.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong block))
            {
                query = query with { AtBlock = block };
            }
            else
            {
                errors["atBlock"] = ["Must be a non-negative block number."];
            }
        }

        if (q.TryGetValue("atTime", out var atTime))
        {
            if (DateTimeOffset.TryParse(atTime.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
            {
                query = query with { AtTime = time };
            }
            else
            {
                errors["atTime"] = ["Must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."];
            }
        }

        if (query.AtBlock is not null && query.AtTime is not null)
        {
            errors["atTime"] = ["Pass atBlock or atTime, not both."];
        }

        if (errors.Count > 0)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "The cap table query is invalid; see errors.", errors);
        }

        CapTable table;
        try
        {
            table = await builder.BuildAsync(address, query, cancellationToken).ConfigureAwait(false);
        }
        catch (ScanException ex)
        {
            return ScanInput.FromScanException(ex);
        }

        if (request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
        {
            var csv = new StringWriter(CultureInfo.InvariantCulture);
            CapTableCsv.Write(table, csv);
            return Results.Text(csv.ToString(), "text/csv", Encoding.UTF8);
        }

        return Results.Json(table, ScanInput.Json);
    }

    /// <summary>Stores identities from <c>text/csv</c> (<c>name,address</c>) or JSON (<c>[{name, address}]</c> or <c>{ "identities": [...] }</c>).</summary>
    /// <remarks>
    /// An asynchronous command like every write (design/api.md): 202 + <c>Location</c>, idempotent per
    /// <c>Idempotency-Key</c>. The write is one batch per 100 names, so it is done before the answer (Completed).
    /// </remarks>
    public static async Task<IResult> PutIdentitiesAsync(HttpContext context, ScanStore store, ScanJobs jobs, CancellationToken cancellationToken)
    {
        HttpRequest request = context.Request;
        using var reader = new StreamReader(request.Body);
        string text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<Address, string> identities;
        IDictionary<string, string[]> errors;
        string mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        if (mediaType == "text/csv")
        {
            (identities, errors) = IdentityCsv.Parse(new StringReader(text));
        }
        else if (mediaType is "application/json" or "")
        {
            (identities, errors) = ParseJson(text);
        }
        else
        {
            return Problems.Result(StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported; send text/csv or application/json.");
        }

        if (errors.Count > 0)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "The identities are invalid; nothing was stored. See errors.", errors);
        }

        (string? key, IResult? badKey) = ScanEndpoints.IdempotencyKey(context, null);
        if (badKey is not null)
        {
            return badKey;
        }

        // The input recorded is the count and a digest of the names (a large CSV would not fit a table property).
        string canonical = string.Join('\n', identities.OrderBy(p => p.Key).Select(p => $"{p.Key.ToLowerHex()},{p.Value}"));
        var input = new JsonObject
        {
            ["count"] = identities.Count,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))),
        };
        ScanJobs.Submission submission = await jobs.SubmitDoneAsync("identities", key, input, async ct =>
        {
            await store.EnsureTablesAsync(ct).ConfigureAwait(false);
            await store.SetIdentitiesAsync(identities, ct).ConfigureAwait(false);
            return new { count = identities.Count };
        }, cancellationToken).ConfigureAwait(false);
        return submission.Conflict ? ScanEndpoints.Conflict() : await ScanEndpoints.AcceptedAsync(context, jobs, submission.Id, cancellationToken).ConfigureAwait(false);
    }

    private static (IReadOnlyDictionary<Address, string>, IDictionary<string, string[]>) ParseJson(string text)
    {
        var identities = new Dictionary<Address, string>();
        var errors = new Dictionary<string, string[]>();
        StrictJson.Result strict = StrictJson.Parse(text);
        if (!strict.Valid)
        {
            errors[strict.Field!] = [strict.Error!];
            return (identities, errors);
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement list = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("identities", out JsonElement inner)
                ? inner
                : doc.RootElement;
            if (list.ValueKind != JsonValueKind.Array)
            {
                errors["body"] = ["Expected an array of { name, address } or { \"identities\": [...] }."];
                return (identities, errors);
            }

            int i = 0;
            foreach (JsonElement item in list.EnumerateArray())
            {
                string? name = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()?.Trim() : null;
                string? address = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("address", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString()?.Trim() : null;
                var messages = new List<string>();
                if (string.IsNullOrEmpty(name))
                {
                    messages.Add("name is missing or empty.");
                }

                if (!Address.TryParse(address, out Address parsed))
                {
                    messages.Add($"address '{EchoText.Bounded(address)}' is not a valid address (0x + 40 hex digits, EIP-55 if mixed case).");
                }

                if (messages.Count > 0)
                {
                    errors[$"identities[{i}]"] = [.. messages];
                }
                else
                {
                    identities[parsed] = name!;
                }

                i++;
            }
        }
        catch (JsonException ex)
        {
            errors["body"] = [$"Malformed JSON: {ex.Message}"];
        }

        return (identities, errors);
    }
}
