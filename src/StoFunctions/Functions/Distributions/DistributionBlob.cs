using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Runtime;

namespace StoFunctions.Functions.Distributions;

/// <summary>
/// Container <c>distributions</c>: a blob <c>{tokenAddress}/{anyName}.csv</c> starts one distribution. The
/// whole file is validated first; <c>{anyName}.csv.result.json</c> is written beside it with the command id,
/// or with the per-row errors and nothing started. The idempotency key is the blob's <c>idempotencyKey</c>
/// metadata when set (so the same key via HTTP or the queue is the same command), else the blob name and ETag.
/// </summary>
public sealed class DistributionBlob(Platform platform) : IBlobFunction
{
    /// <summary>The suffix of the report written beside each file.</summary>
    public const string ResultSuffix = ".result.json";

    /// <inheritdoc />
    public async Task RunAsync(BlobTriggerContext blob, CancellationToken cancellationToken)
    {
        string name = blob.BlobName;
        if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        int slash = name.IndexOf('/', StringComparison.Ordinal);
        string token = slash < 0 ? "" : name[..slash];
        if (slash < 0 || !Address.TryParse(token, out _))
        {
            await ReportAsync(blob, null, new() { ["token"] = [$"The blob must be named {{tokenAddress}}/{{name}}.csv; '{(slash < 0 ? name : token)}' is not a token address."] }, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Only {token}/{name}.csv: a deeper path (e.g. {token}/a/b/x.csv) is not a distribution drop, and
        // starting it would make any folder under a token address a second, undocumented drop box.
        if (name.IndexOf('/', slash + 1) >= 0)
        {
            await ReportAsync(blob, null, new() { ["blob"] = [$"'{EchoText.Bounded(name)}' is nested below the token folder; upload it as {{tokenAddress}}/{{name}}.csv directly under the token address. Nothing was started."] }, cancellationToken).ConfigureAwait(false);
            return;
        }

        string csv = (await blob.DownloadAsync(cancellationToken).ConfigureAwait(false)).ToString();
        (JsonObject? input, Dictionary<string, string>? lines, Dictionary<string, string[]> errors) = Distribute.FromCsv(token, csv);
        if (input is null)
        {
            await ReportAsync(blob, null, errors, cancellationToken).ConfigureAwait(false);
            return;
        }

        string key = blob.Metadata.TryGetValue("idempotencyKey", out string? k) && k.Length > 0 ? k : $"blob:{Platform.DistributionsContainer}/{name}:{blob.ETag}";
        try
        {
            string id = await platform.Commands.SubmitAsync(new CommandRequest("distribute", key, JsonSerializer.SerializeToElement(input)), cancellationToken).ConfigureAwait(false);
            await ReportAsync(blob, id, [], cancellationToken).ConfigureAwait(false);
        }
        catch (CommandValidationException e)
        {
            await ReportAsync(blob, null, DistributionCsv.ToRowErrors(e.Errors, lines!), cancellationToken).ConfigureAwait(false);
        }
        catch (BusinessKeyConflictException e)
        {
            await ReportAsync(blob, null, DistributionCsv.ToRowErrors(e.Errors, lines!), cancellationToken).ConfigureAwait(false);
        }
        catch (CommandConflictException)
        {
            await ReportAsync(blob, null, new() { ["idempotencyKey"] = ["The idempotency key was already used with a different distribution."] }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(BlobTriggerContext blob, string? commandId, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var report = new Report(blob.BlobName, blob.ETag.ToString(), commandId, commandId is null ? null : "/api/commands/" + commandId, commandId is null ? "Rejected" : "Accepted", errors);
        BlobClient target = platform.Blobs.GetBlobContainerClient(blob.ContainerName).GetBlobClient(blob.BlobName + ResultSuffix);
        await target.UploadAsync(BinaryData.FromObjectAsJson(report, GetCommand.Json), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The report written beside a distribution file.</summary>
    /// <param name="Blob">The file's name.</param>
    /// <param name="ETag">The version that was read.</param>
    /// <param name="CommandId">The distribution command, or null when the file was rejected.</param>
    /// <param name="Status">The command's status path.</param>
    /// <param name="Result"><c>Accepted</c> or <c>Rejected</c>.</param>
    /// <param name="Errors">Row (or <c>header</c>, <c>file</c>) → messages.</param>
    public sealed record Report(string Blob, string ETag, string? CommandId, string? Status, string Result, Dictionary<string, string[]> Errors);
}
