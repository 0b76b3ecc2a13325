using Microsoft.DurableTask.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Distributions;

/// <summary>
/// <c>POST /api/tokens/{token}/distributions</c> [distribute-multiple]: JSON <c>{ "rows": [...] }</c> or a
/// <c>text/csv</c> body; one transfer per row, idempotent per (token, externalId). The command input is the
/// same canonical <c>{ token, rows }</c> from HTTP, the queue and the blob drop, so one idempotency key means
/// one command whichever way it arrives.
/// </summary>
public sealed class Distribute(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "distribute";

    /// <summary><c>POST /api/tokens/{token}/distributions</c>.</summary>
    [Function("Distribute")]
    public static Task<IResult> DistributeAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/distributions")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        HandleAsync(token, request.HttpContext, durable);

    private static async Task<IResult> HandleAsync(string token, HttpContext context, DurableTaskClient durable)
    {
        if (context.Request.ContentType is { } type && type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            using var text = new StreamReader(context.Request.Body);
            string csv = await text.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            (JsonObject? input, Dictionary<string, string>? lines, Dictionary<string, string[]> errors) = FromCsv(token, csv);
            if (input is null)
            {
                return Problems.Result(400, "The CSV is invalid; nothing was planned. See errors per row.", errors);
            }

            if (RetryFailedQuery(context) is { } retry)
            {
                input["retryFailed"] = retry;
            }

            return await CommandEndpoint.SubmitAsync(context, durable, "distribute", input, e => DistributionCsv.ToRowErrors(e, lines!), answerWhenAdmitted: true).ConfigureAwait(false);
        }

        (JsonObject? body, IResult? bad) = await CommandEndpoint.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bad!;
        }

        body["token"] = token;
        if (RetryFailedQuery(context) is { } retryFailed)
        {
            body["retryFailed"] = retryFailed;
        }

        return await CommandEndpoint.SubmitAsync(context, durable, "distribute", Canonical(body), answerWhenAdmitted: true).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>?retryFailed=true</c> (or <c>false</c>) on a distribution or transfer route, the same switch as the body's
    /// <c>retryFailed</c> member; null when absent. Any other value is kept as text for the planner to refuse.
    /// </summary>
    public static JsonNode? RetryFailedQuery(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? value = context.Request.Query["retryFailed"].FirstOrDefault();
        return value switch
        {
            null => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ => JsonValue.Create(value),
        };
    }

    /// <summary>
    /// The <c>retryFailed</c> switch of a distribution or transfer input: absent or false → rows whose transfer
    /// Failed answer with that failed transfer; true → they get a new attempt. Anything but a JSON boolean is an error.
    /// </summary>
    public static bool RetryFailed(InputReader reader, JsonElement input)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("retryFailed", out JsonElement value))
        {
            return false;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            reader.Add("retryFailed", "Must be true or false: true gives rows whose transfer Failed a new attempt.");
            return false;
        }

        return value.GetBoolean();
    }

    /// <summary>
    /// The canonical input of a CSV file for <paramref name="token"/>; null with errors when the file is
    /// malformed. <c>lines</c> maps <c>rows[i]</c> to <c>row N</c> for reporting the planner's errors.
    /// </summary>
    public static (JsonObject? Input, Dictionary<string, string>? Lines, Dictionary<string, string[]> Errors) FromCsv(string token, string csv)
    {
        (JsonArray rows, Dictionary<string, string[]> errors) = DistributionCsv.Parse(csv);
        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        Dictionary<string, string> lines = DistributionCsv.DetachLines(rows);
        return (new JsonObject { ["token"] = token, ["rows"] = rows }, lines, errors);
    }

    /// <summary>
    /// Normalizes a JSON distribution so equal content is byte-equal: the token as given in the route, every
    /// row with all five members (missing optional ones as ""). Other members are kept for the planner to reject.
    /// </summary>
    public static JsonObject Canonical(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body["retryFailed"] is JsonValue no && no.GetValueKind() == JsonValueKind.False)
        {
            body.Remove("retryFailed"); // the default, so a body with it and one without are the same command
        }

        if (body["rows"] is JsonArray rows)
        {
            foreach (JsonNode? node in rows)
            {
                if (node is JsonObject row)
                {
                    row["email"] ??= "";
                    row["name"] ??= "";
                }
            }
        }

        return body;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        Address? token = reader.Address("token");
        var rows = new List<DistributionPlan.Row>();
        JsonElement? list = reader.Member("rows");
        if (list is not { ValueKind: JsonValueKind.Array })
        {
            reader.Add("rows", "Required: an array of {externalId, email?, name?, address, amount}.");
        }
        else if (list.Value.GetArrayLength() is 0 or > DistributionPlan.MaxRows)
        {
            reader.Add("rows", $"Must have 1 to {DistributionPlan.MaxRows} rows; split larger distributions.");
        }
        else
        {
            int i = 0;
            foreach (JsonElement row in list.Value.EnumerateArray())
            {
                rows.Add(new DistributionPlan.Row("rows[" + i.ToString(CultureInfo.InvariantCulture) + "]", row));
                i++;
            }
        }

        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name is not ("token" or "rows" or "retryFailed")))
            {
                reader.Add(member.Name, "Unknown member; a distribution has token, rows and retryFailed.");
            }
        }

        bool retryFailed = RetryFailed(reader, input);
        if (!reader.Valid)
        {
            reader.ThrowIfInvalid();
        }

        return await DistributionPlan.PlanAsync(chain, reader, token, rows, cancellationToken, retryFailed).ConfigureAwait(false);
    }
}
