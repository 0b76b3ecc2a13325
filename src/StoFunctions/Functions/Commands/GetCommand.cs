using System.Text.Json;
using System.Text.Json.Serialization;
using StoFunctions.Composition;
using StoFunctions.Functions.Scanning;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Commands;

/// <summary><c>GET /api/commands/{id}</c>: the command's status in the shape of design/api.md (ledger commands and the scanner's).</summary>
public static class GetCommand
{
    /// <summary>camelCase, enums as strings: the API's JSON conventions.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary><c>GET /api/commands/{id}</c>.</summary>
    [Function("GetCommand")]
    public static Task<IResult> GetCommandAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "commands/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        ScanJobs.IsScanId(id)
            // One function serves both kinds of id: two routes on commands/{id} would leave the match to the
            // host's route order, which the Functions host and the local host need not share.
            ? ScanEndpoints.GetStatusAsync(id, request.HttpContext.RequestServices.GetRequiredService<ScanJobs>(), cancellationToken)
            : HandleAsync(id, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string id, Platform platform, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(id)}' is not a command id (1 to 64 letters and digits).");
        }

        CommandStatus? status = await platform.Commands.GetStatusAsync(id, cancellationToken).ConfigureAwait(false);
        return status is null
            ? Problems.Result(404, $"No command has id '{EchoText.Bounded(id)}'. Ids are returned by the 202 answer of the command's POST.")
            : Results.Json(status, Json);
    }
}
