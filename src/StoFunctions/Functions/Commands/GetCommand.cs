using System.Text.Json;
using System.Text.Json.Serialization;
using StoFunctions.Composition;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Commands;

/// <summary><c>GET /api/commands/{id}</c>: the command's status in the shape of design/api.md.</summary>
public static class GetCommand
{
    /// <summary>camelCase, enums as strings: the API's JSON conventions.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("commands/{id}", HandleAsync).WithName("GetCommand");

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
