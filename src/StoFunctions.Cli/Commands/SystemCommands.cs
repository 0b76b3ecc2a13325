using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Spectre.Console;
using StoFunctions.Cli.Api;

namespace StoFunctions.Cli.Commands;

/// <summary><c>diagnose</c> and <c>version</c>.</summary>
public static class SystemCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        var diagnose = new Command("diagnose", "node reachable, chain id, head age, signer, ETH balance, nonce drift [GET /api/diagnose]; exit 1 when the node is unreachable\n  e.g. sto diagnose");
        kit.SetAction(diagnose, async (session, r, cancellationToken) =>
        {
            ApiResponse response = await session.Api.GetAsync("diagnose", null, cancellationToken).ConfigureAwait(false);
            // 503 carries a diagnosis too (nodeReachable false): print it, and fail.
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && response.Json() is { ValueKind: JsonValueKind.Object } down)
            {
                Print(session, down);
                return ExitCodes.Failed;
            }

            if (!response.IsSuccess)
            {
                return session.Refused(response);
            }

            Print(session, response.Json()!.Value);
            return ExitCodes.Ok;
        });
        yield return diagnose;

        var version = new Command("version", "this sto's version and the API's (from /api/health; without an API address, or when it does not answer, only sto's)\n  e.g. sto version");
        // Not kit.SetAction: the version must print without any API configured.
        version.SetAction(async (r, cancellationToken) =>
        {
            string cli = typeof(SystemCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            CliEnvironment environment = kit.Environment;
            bool json = r.GetValue(kit.Json);
            string? apiUrl = null;
            string? api = null;
            string? health = null;
            try
            {
                ApiSettings settings = ApiSettings.Resolve(r.GetValue(kit.Api), r.GetValue(kit.Key), r.GetValue(kit.Profile), environment);
                apiUrl = settings.BaseAddress.ToString();
                using var client = new ApiClient(settings, environment.Handler);
                ApiResponse response = await client.GetAsync("health", null, cancellationToken).ConfigureAwait(false);
                if (response.Json() is { ValueKind: JsonValueKind.Object } body)
                {
                    api = body.TryGetProperty("version", out JsonElement v) ? v.GetString() : null;
                    health = body.TryGetProperty("status", out JsonElement s) ? s.GetString() : null;
                }
            }
            catch (Exception e) when (e is CliInputException or ApiUnreachableException)
            {
                environment.Error.WriteLine("warning: " + e.Message);
            }

            if (json)
            {
                environment.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new { cli, api, apiUrl, health }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                environment.Out.WriteLine($"sto {cli}");
                environment.Out.WriteLine(apiUrl is null ? "api: not configured" : api is null ? $"api {apiUrl}: no answer" : $"api {api} at {apiUrl} ({health})");
            }

            return ExitCodes.Ok;
        });
        yield return version;
    }

    private static void Print(CliSession session, JsonElement body)
    {
        if (session.Json)
        {
            session.WriteJson(body);
        }
        else
        {
            Output.JsonView.Write(session.Environment.Out, body);
        }
    }
}
