using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Scanning;

/// <summary>
/// <c>POST /api/tokens/{token}/scans</c>, <c>PUT /api/tokens/{token}/watch</c> and the status of the scanner's
/// commands at <c>GET /api/commands/scan…</c>. Both writes are asynchronous commands (design/api.md): 202 +
/// <c>Location</c>, idempotent per <c>Idempotency-Key</c> (header or <c>idempotencyKey</c> field).
/// </summary>
public static class ScanEndpoints
{
    /// <summary><c>POST /api/tokens/{token}/scans</c>: see <see cref="ScanAsync"/>.</summary>
    [Function("ScanToken")]
    public static Task<IResult> ScanTokenAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/scans")] HttpRequest request, string token, CancellationToken cancellationToken)
    {
        IServiceProvider services = request.HttpContext.RequestServices;
        return ScanAsync(token, request.HttpContext, services.GetRequiredService<ScanJobs>(), services.GetRequiredService<JsonRpcClient>(), services.GetRequiredService<IOptions<ScannerOptions>>(), cancellationToken);
    }

    /// <summary><c>PUT /api/tokens/{token}/watch</c>: see <see cref="WatchAsync"/>.</summary>
    [Function("WatchToken")]
    public static Task<IResult> WatchTokenAsync([HttpTrigger(AuthorizationLevel.Function, "put", Route = "tokens/{token}/watch")] HttpRequest request, string token, CancellationToken cancellationToken)
    {
        IServiceProvider services = request.HttpContext.RequestServices;
        return WatchAsync(token, request.HttpContext, services.GetRequiredService<ScanJobs>(), services.GetRequiredService<ScanStore>(), cancellationToken);
    }

    /// <summary>
    /// Starts a scan in the background and answers 202. The answer waits up to <see cref="ScannerOptions.ScanWaitSeconds"/>
    /// for the scan, so a small scan's 202 already carries <c>runtimeStatus: Completed</c> and its <c>output</c>.
    /// </summary>
    public static async Task<IResult> ScanAsync(string token, HttpContext context, ScanJobs jobs, JsonRpcClient rpc, IOptions<ScannerOptions> options, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(token, out Address address) is { } bad)
        {
            return bad;
        }

        (ScanRequest? body, IResult? problem) = await ScanInput.ReadOptionalJsonAsync<ScanRequest>(context.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.FromBlock is { } from && body.ToBlock is { } to && from > to)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, $"fromBlock {from} is after toBlock {to}.",
                new Dictionary<string, string[]> { ["fromBlock"] = ["Must be at most toBlock."] });
        }

        (string? key, IResult? badKey) = IdempotencyKey(context, body.IdempotencyKey);
        if (badKey is not null)
        {
            return badKey;
        }

        // Checked before accepting, so a wrong address is a 400 that writes nothing rather than a failed command.
        if ((await rpc.GetCodeAsync(address, BlockParameter.Latest, cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, $"There is no contract at {address}; check the token address and the chain.",
                new Dictionary<string, string[]> { ["token"] = ["No contract code at this address."] });
        }

        ScanJobs.Submission submission = await jobs.SubmitScanAsync(address, body, key, cancellationToken).ConfigureAwait(false);
        if (submission.Conflict)
        {
            return Conflict();
        }

        await jobs.WaitAsync(submission.Id, TimeSpan.FromSeconds(Math.Max(0, options.Value.ScanWaitSeconds)), cancellationToken).ConfigureAwait(false);
        return await AcceptedAsync(context, jobs, submission.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts any ERC-20 on the timer's watch list (done before the 202).</summary>
    public static async Task<IResult> WatchAsync(string token, HttpContext context, ScanJobs jobs, ScanStore store, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(token, out Address address) is { } bad)
        {
            return bad;
        }

        (ScanRequest? body, IResult? problem) = await ScanInput.ReadOptionalJsonAsync<ScanRequest>(context.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        (string? key, IResult? badKey) = IdempotencyKey(context, body!.IdempotencyKey);
        if (badKey is not null)
        {
            return badKey;
        }

        var input = new JsonObject { ["token"] = address.ToString(), ["fromBlock"] = body.FromBlock };
        ScanJobs.Submission submission = await jobs.SubmitDoneAsync("watch", key, input, async ct =>
        {
            await store.EnsureTablesAsync(ct).ConfigureAwait(false);
            await store.WatchAsync(address, body.FromBlock, ct).ConfigureAwait(false);
            return new { token = address.ToString(), fromBlock = body.FromBlock };
        }, cancellationToken).ConfigureAwait(false);
        return submission.Conflict ? Conflict() : await AcceptedAsync(context, jobs, submission.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/commands/{id}</c> for the scanner's command ids.</summary>
    public static async Task<IResult> GetStatusAsync(string id, ScanJobs jobs, CancellationToken cancellationToken) =>
        await jobs.GetStatusAsync(id, cancellationToken).ConfigureAwait(false) is { } status
            ? Results.Json(status, ScanInput.Json)
            : Problems.Result(StatusCodes.Status404NotFound, $"No command has id '{EchoText.Bounded(id)}'. Ids are returned by the 202 answer of the command's POST or PUT.");

    /// <summary>202 with <c>Location</c>, the id, the status URL, and the status as far as it is known now.</summary>
    internal static async Task<IResult> AcceptedAsync(HttpContext context, ScanJobs jobs, string id, CancellationToken cancellationToken)
    {
        string location = "/api/commands/" + id;
        JsonObject? status = await jobs.GetStatusAsync(id, cancellationToken).ConfigureAwait(false);
        var body = new JsonObject
        {
            ["id"] = id,
            ["statusQueryGetUri"] = $"{context.Request.Scheme}://{context.Request.Host}{location}",
            ["runtimeStatus"] = status?["runtimeStatus"]?.DeepClone(),
            ["output"] = status?["output"]?.DeepClone(),
            ["error"] = status?["error"]?.DeepClone(),
        };
        return new LocatedResult(Results.Json(body, ScanInput.Json, statusCode: StatusCodes.Status202Accepted), location);
    }

    /// <summary>The idempotency key from the header, else the body field; a problem when it is malformed.</summary>
    internal static (string? Key, IResult? Problem) IdempotencyKey(HttpContext context, string? field)
    {
        string? key = context.Request.Headers["Idempotency-Key"].FirstOrDefault() ?? field;
        return key is not null && (key.Length is 0 or > 200 || key.Any(char.IsControl))
            ? (null, Problems.Result(StatusCodes.Status400BadRequest, "The idempotency key must have 1 to 200 printable characters.",
                new Dictionary<string, string[]> { ["idempotencyKey"] = ["1 to 200 printable characters."] }))
            : (key, null);
    }

    internal static IResult Conflict() => Problems.Result(StatusCodes.Status409Conflict,
        "This idempotency key was already used with a different body; use a new key for a new command.",
        new Dictionary<string, string[]> { ["idempotencyKey"] = ["Used with a different body."] });

    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
