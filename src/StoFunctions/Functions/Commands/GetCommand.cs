using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Functions.Scanning;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// <c>GET /api/commands/{id}</c>: the command's status in the shape of design/api.md (ledger commands and the
/// scanner's). A ledger command with an orchestration instance answers from it (<see cref="CommandInstanceStatus"/>).
/// </summary>
public static class GetCommand
{
    /// <summary>camelCase, enums as strings: the API's JSON conventions.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary><c>GET /api/commands/{id}</c>.</summary>
    [Function("GetCommand")]
    public static Task<IResult> GetCommandAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "commands/{id}")] HttpRequest request, string id, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ScanJobs.IsScanId(id)
            // One function serves both kinds of id: two routes on commands/{id} would leave the match to the
            // host's route order, which the Functions host and the local host need not share.
            ? ScanEndpoints.GetStatusAsync(id, request.HttpContext.RequestServices.GetRequiredService<ScanJobs>(), cancellationToken)
            : HandleAsync(id, request.HttpContext.RequestServices.GetRequiredService<Platform>(), durable, cancellationToken);

    private static async Task<IResult> HandleAsync(string id, Platform platform, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(id)}' is not a command id (1 to 64 letters and digits).");
        }

        // The command row first: a command without an instance of its own (a single transfer) answers from its
        // ledger rows without asking Durable, which on Azurite is a query of the instances table per poll.
        OrchestrationMetadata? instance = null;
        CommandStatus? status = await platform.Commands.GetStatusAsync(id, async accepted =>
        {
            // Null durable only on a local host started without a task hub (no chain configured at startup).
            if (durable is null || !CommandInstances.HasOwnInstance(accepted.Name))
            {
                return null;
            }

            instance = await durable.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            return instance is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } ? CommandInstanceStatus.FromCompleted(instance, accepted) : null;
        }, cancellationToken).ConfigureAwait(false);
        if (status is not null && instance is { RuntimeStatus: not OrchestrationRuntimeStatus.Completed })
        {
            status = CommandInstanceStatus.WhileRunning(instance, status);
        }

        return status is null
            ? Problems.Result(404, $"No command has id '{EchoText.Bounded(id)}'. Ids are returned by the 202 answer of the command's POST.")
            : Results.Json(status, Json);
    }
}
