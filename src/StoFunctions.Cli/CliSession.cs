using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using StoFunctions.Cli.Api;
using StoFunctions.Cli.Output;

namespace StoFunctions.Cli;

/// <summary>
/// One invocation's connection to the API and its output conventions: reads print the answer (a view, or the
/// body itself with <c>--json</c>), submissions take the 202 and wait for the command, refusals print the
/// problem details and give exit code 2, failures 1.
/// </summary>
public sealed class CliSession(CliEnvironment environment, ApiClient api, bool json) : IDisposable
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>The process's consoles and settings.</summary>
    public CliEnvironment Environment { get; } = environment;

    /// <summary>The API.</summary>
    public ApiClient Api { get; } = api;

    /// <summary>True with <c>--json</c>: stdout gets the API's JSON and nothing else.</summary>
    public bool Json { get; } = json;

    /// <summary>GETs <paramref name="path"/> and prints it (with <paramref name="view"/>, or the generic view).</summary>
    public async Task<int> ShowAsync(string path, CancellationToken cancellationToken, Action<JsonElement>? view = null)
    {
        ApiResponse response = await Api.GetAsync(path, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            return Refused(response);
        }

        JsonElement body = response.Json() ?? throw new InvalidOperationException($"GET /api/{path} answered {(int)response.StatusCode} without JSON.");
        if (Json)
        {
            WriteJson(body);
        }
        else if (view is not null)
        {
            view(body);
        }
        else
        {
            JsonView.Write(Environment.Out, body);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// A read that can be exported: with neither <paramref name="csv"/> nor <paramref name="file"/> like
    /// <see cref="ShowAsync"/>; otherwise the API's CSV (<c>Accept: text/csv</c>) or JSON, byte for byte, to stdout or the file.
    /// </summary>
    public async Task<int> ExportAsync(string path, bool csv, FileInfo? file, CancellationToken cancellationToken)
    {
        if (!csv && file is null)
        {
            return await ShowAsync(path, cancellationToken).ConfigureAwait(false);
        }

        ApiResponse response = await Api.GetAsync(path, csv ? "text/csv" : "application/json", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            return Refused(response);
        }

        if (file is null)
        {
            Environment.Out.Profile.Out.Writer.Write(response.Body);
            return ExitCodes.Ok;
        }

        try
        {
            await File.WriteAllTextAsync(file.FullName, response.Body, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"Cannot write '{file.FullName}': {e.Message}");
        }

        Environment.Error.WriteLine($"wrote {file.FullName}");
        return ExitCodes.Ok;
    }

    /// <summary>Sends a state-changing request with a JSON body and, unless told not to, waits for the command.</summary>
    public Task<int> SubmitJsonAsync(HttpMethod method, string path, JsonObject body, SubmitOptions options, CancellationToken cancellationToken) =>
        SubmitAsync(method, path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), options, cancellationToken);

    /// <summary>Sends a state-changing request and, unless <see cref="SubmitOptions.NoWait"/>, waits for the command it started.</summary>
    public async Task<int> SubmitAsync(HttpMethod method, string path, HttpContent content, SubmitOptions options, CancellationToken cancellationToken)
    {
        ApiResponse response;
        using (content)
        {
            response = await Api.SendAsync(method, path, content, null, options.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        }

        if (!response.IsSuccess)
        {
            return Refused(response);
        }

        JsonElement accepted = response.Json() ?? throw new InvalidOperationException($"{method} /api/{path} answered {(int)response.StatusCode} without JSON.");
        string? id = accepted.ValueKind == JsonValueKind.Object && accepted.TryGetProperty("id", out JsonElement idValue) ? idValue.GetString() : null;
        if (id is null)
        {
            // Not a command (e.g. the nonce restart answers the account's new state): print it like a read.
            if (Json)
            {
                WriteJson(accepted);
            }
            else
            {
                JsonView.Write(Environment.Out, accepted);
            }

            return ExitCodes.Ok;
        }

        if (options.NoWait)
        {
            if (Json)
            {
                WriteJson(accepted);
            }
            else
            {
                Environment.Out.WriteLine(id);
                Environment.Error.WriteLine($"accepted; follow it with: sto command wait {id}");
            }

            return ExitCodes.Ok;
        }

        Environment.Error.WriteLine($"command {id} accepted (if interrupted, resume with: sto command wait {id})");
        return await new CommandWaiter(this).WaitAsync(id, options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Prints a non-2xx answer; 4xx is bad input (2), anything else a failure (1).</summary>
    public int Refused(ApiResponse response)
    {
        if (Json && response.Json() is { } problem)
        {
            WriteJson(problem);
        }

        ProblemPrinter.Print(Environment.Error, response);
        return response.IsClientError ? ExitCodes.BadInput : ExitCodes.Failed;
    }

    /// <summary>Writes <paramref name="value"/> indented to stdout.</summary>
    public void WriteJson(JsonElement value) => Environment.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, s_indented));

    /// <inheritdoc/>
    public void Dispose() => Api.Dispose();
}
