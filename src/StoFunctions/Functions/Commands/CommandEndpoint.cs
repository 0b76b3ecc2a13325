using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// The shared tail of every state-changing HTTP function: read the JSON body, take the idempotency key from
/// the <c>Idempotency-Key</c> header or the <c>idempotencyKey</c> field, submit, answer 202 + Location
/// (design/api.md "Commands are asynchronous"), 400 with the planner's errors, or 409.
/// </summary>
public static class CommandEndpoint
{
    /// <summary>The most characters an idempotency key may have.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>
    /// Reads the body as a JSON object with <see cref="StrictJson"/>; null and a problem result when it is not
    /// one. An empty body is <c>{}</c> when <paramref name="emptyIsObject"/> (routes whose members are all optional).
    /// </summary>
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, bool emptyIsObject = false)
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Result(415, $"Content-Type '{EchoText.Bounded(type)}' is not supported here; send application/json."));
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (emptyIsObject && buffer.Length == 0)
        {
            return ([], null);
        }

        StrictJson.Result parsed = StrictJson.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (!parsed.Valid)
        {
            return (null, Problems.Result(400, parsed.Error!, Errors(parsed.Field!, parsed.Error!)));
        }

        return parsed.Node is JsonObject body
            ? (body, null)
            : (null, Problems.Result(400, "The body must be a JSON object, e.g. {\"name\": \"…\"}."));
    }

    /// <summary>
    /// The whole handler of a command route: reads the JSON body (an empty body is <c>{}</c> when
    /// <paramref name="bodyOptional"/>, else the same 400 as any non-object body), sets the route values on it
    /// (they win over body members of the same name) and submits command <paramref name="name"/>.
    /// </summary>
    public static async Task<IResult> SubmitBodyAsync(HttpContext context, DurableTaskClient durable, string name, bool bodyOptional, params (string Member, string Value)[] routeValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A POST without a body often carries no Content-Length at all (curl -X POST), so emptiness is decided
        // by reading, not by the header.
        (JsonObject? parsed, IResult? bad) = await ReadObjectAsync(context.Request, emptyIsObject: bodyOptional).ConfigureAwait(false);
        if (parsed is null)
        {
            return bad!;
        }

        JsonObject body = parsed;
        foreach ((string member, string value) in routeValues)
        {
            body[member] = value;
        }

        return await SubmitAsync(context, durable, name, body).ConfigureAwait(false);
    }

    /// <summary>Submits command <paramref name="name"/> with <paramref name="input"/> and shapes the answer.</summary>
    /// <param name="context">The request.</param>
    /// <param name="durable">Schedules the command's orchestration (<see cref="CommandOrchestrator"/>).</param>
    /// <param name="name">The command name.</param>
    /// <param name="input">The command input (the <c>idempotencyKey</c> member is taken out).</param>
    /// <param name="mapErrors">Renames validation errors (e.g. to CSV rows).</param>
    /// <param name="answerWhenAdmitted">
    /// Answer 202 once the command is valid, admitted and durable, before its nonces are allocated
    /// (<see cref="CommandRequest.AnswerWhenAdmitted"/>): the transfer routes, whose large commands' allocation takes
    /// longer than the rest of the request. False where the route reads the plan after submitting (issue records the
    /// token's address from its first nonce).
    /// </param>
    public static async Task<IResult> SubmitAsync(HttpContext context, DurableTaskClient durable, string name, JsonObject input, Func<IReadOnlyDictionary<string, string[]>, Dictionary<string, string[]>>? mapErrors = null, bool answerWhenAdmitted = false)
    {
        string? key = context.Request.Headers["Idempotency-Key"].FirstOrDefault();
        if (input["idempotencyKey"] is JsonNode field)
        {
            if (field.GetValueKind() != JsonValueKind.String)
            {
                return Problems.Result(400, "idempotencyKey must be a string.", Errors("idempotencyKey", "Must be a string."));
            }

            // Two different keys for one request leave no right choice: which command did the client mean to repeat?
            string fromBody = field.GetValue<string>();
            if (key is not null && !string.Equals(key, fromBody, StringComparison.Ordinal))
            {
                return Problems.Result(400, $"The Idempotency-Key header '{Truncate(key)}' differs from the body's idempotencyKey '{Truncate(fromBody)}'; send one of them, or the same key in both.",
                    Errors("idempotencyKey", "Differs from the Idempotency-Key header."));
            }

            key ??= fromBody;
            input.Remove("idempotencyKey");
        }

        if (key is not null && (key.Length == 0 || key.Length > MaxKeyLength || key.Any(char.IsControl)))
        {
            return Problems.Result(400, $"The idempotency key must have 1 to {MaxKeyLength} printable characters.", Errors("idempotencyKey", "1 to 200 printable characters."));
        }

        Platform platform = context.RequestServices.GetRequiredService<Platform>();
        LaneWaker waker = context.RequestServices.GetRequiredService<LaneWaker>();
        // The lane is woken when a large command's first transactions are durable (they go out while the rest are
        // allocated) and when all are. A wake that fails costs nothing: the keeper's timer follows.
        Action wake = () => _ = waker.WakeAsync(durable, CancellationToken.None).ContinueWith(
            static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var request = new CommandRequest(name, key, JsonSerializer.SerializeToElement(input))
        {
            AnswerWhenAdmitted = answerWhenAdmitted,
            FirstNoncesWritten = wake,
            Allocated = wake,
        };

        // Concurrent submissions plan in parallel; CommandService joins them into per-lane batches for the
        // balance admission and the nonce allocation, so nothing is serialized here.
        try
        {
            string id = await platform.Commands.SubmitAsync(request, context.RequestAborted).ConfigureAwait(false);
            // Accepted: the instance follows it (Pending until its nonces are allocated). Not tied to the request's
            // abort, so a client that hangs up after acceptance still gets its command followed (a repeat with the key
            // would start it too).
            if (CommandInstances.HasOwnInstance(name))
            {
                await CommandInstances.StartAsync(durable, id, CancellationToken.None).ConfigureAwait(false);
            }

            return Accepted(context, id);
        }
        catch (CommandValidationException e)
        {
            return Problems.Result(e.Status, e.Status == 400 ? $"The {name} command is invalid; nothing was planned. See errors." : $"The {name} command cannot run in the current state; nothing was planned. See errors.", mapErrors?.Invoke(e.Errors) ?? e.Errors.ToDictionary(p => p.Key, p => p.Value));
        }
        catch (CommandConflictException)
        {
            return Problems.Result(409, $"Idempotency key '{EchoText.Bounded(key)}' was already used with a different {name} body; use a new key for a new command.", Errors("idempotencyKey", "Used with a different body."));
        }
        catch (BusinessKeyConflictException e)
        {
            return Problems.Result(409, $"The {name} command reuses external ids whose transfers were made with other values (held by command {string.Join(", ", e.ExistingCommandIds)}); nothing was planned. See errors.",
                mapErrors?.Invoke(e.Errors) ?? e.Errors);
        }
    }

    private static string Truncate(string key) => key.Length <= 60 ? key : key[..60] + "…";

    /// <summary>The 202 answer for command <paramref name="id"/>.</summary>
    public static IResult Accepted(HttpContext context, string id)
    {
        string location = "/api/commands/" + id;
        string uri = $"{context.Request.Scheme}://{context.Request.Host}{location}";
        return TypedResults.Accepted(location, new Submitted(id, uri));
    }

    /// <summary>One field → one message.</summary>
    public static Dictionary<string, string[]> Errors(string field, string message) => new() { [field] = [message] };

    /// <summary>The body of a 202: the command id and where to poll it.</summary>
    /// <param name="Id">The command id.</param>
    /// <param name="StatusQueryGetUri">The absolute status URL.</param>
    public sealed record Submitted(string Id, string StatusQueryGetUri);
}
