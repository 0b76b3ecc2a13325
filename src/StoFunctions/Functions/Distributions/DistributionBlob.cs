using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Distributions;

/// <summary>
/// Container <c>distributions</c>: a blob <c>{tokenAddress}/{anyName}.csv</c> starts one distribution. The
/// whole file is validated first; <c>{anyName}.csv.result.json</c> is written beside it with the command id,
/// or with the per-row errors and nothing started. The idempotency key is the blob's <c>idempotencyKey</c>
/// metadata when set (so the same key via HTTP or the queue is the same command), else the blob name and ETag.
/// In Azure the trigger is fed by Event Grid (infra/modules/blobevents.bicep subscribes this function by name).
/// </summary>
public sealed class DistributionBlob(Platform platform, LaneWaker waker)
{
    /// <summary>The suffix of the report written beside each file.</summary>
    public const string ResultSuffix = ".result.json";

    /// <summary>Validates one uploaded file and starts its distribution, or reports why not.</summary>
    [Function(nameof(DistributionBlob))]
    public async Task RunAsync(
        [BlobTrigger(Platform.DistributionsContainer + "/{token}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        string name = blob.Name;
        if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // The version read is the one named in the report and in the default idempotency key; reading it
        // with IfMatch keeps the text, the metadata and the ETag of one version together.
        BlobProperties properties;
        BinaryData content;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            content = (await blob.DownloadContentAsync(new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Deleted, or overwritten between the two reads: the newer version triggers its own invocation.
            return;
        }

        var version = new ReadVersion(blob, properties.ETag, properties.Metadata);

        int slash = name.IndexOf('/', StringComparison.Ordinal);
        string token = slash < 0 ? "" : name[..slash];
        if (slash < 0 || !Address.TryParse(token, out _))
        {
            await ReportAsync(version, null, new() { ["token"] = [$"The blob must be named {{tokenAddress}}/{{name}}.csv; '{(slash < 0 ? name : token)}' is not a token address."] }, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Only {token}/{name}.csv: a deeper path (e.g. {token}/a/b/x.csv) is not a distribution drop, and
        // starting it would make any folder under a token address a second, undocumented drop box.
        if (name.IndexOf('/', slash + 1) >= 0)
        {
            await ReportAsync(version, null, new() { ["blob"] = [$"'{EchoText.Bounded(name)}' is nested below the token folder; upload it as {{tokenAddress}}/{{name}}.csv directly under the token address. Nothing was started."] }, cancellationToken).ConfigureAwait(false);
            return;
        }

        string csv = content.ToString();
        (JsonObject? input, Dictionary<string, string>? lines, Dictionary<string, string[]> errors) = Distribute.FromCsv(token, csv);
        if (input is null)
        {
            await ReportAsync(version, null, errors, cancellationToken).ConfigureAwait(false);
            return;
        }

        string key = version.Metadata.TryGetValue("idempotencyKey", out string? k) && k.Length > 0 ? k : $"blob:{Platform.DistributionsContainer}/{name}:{version.ETag}";
        try
        {
            string id = await platform.Commands.SubmitAsync(new CommandRequest("distribute", key, JsonSerializer.SerializeToElement(input)), cancellationToken).ConfigureAwait(false);
            await CommandInstances.StartAsync(durable, id, cancellationToken).ConfigureAwait(false);
            await waker.WakeAsync(durable, cancellationToken).ConfigureAwait(false);
            await ReportAsync(version, id, [], cancellationToken).ConfigureAwait(false);
        }
        catch (CommandValidationException e)
        {
            await ReportAsync(version, null, DistributionCsv.ToRowErrors(e.Errors, lines!), cancellationToken).ConfigureAwait(false);
        }
        catch (BusinessKeyConflictException e)
        {
            await ReportAsync(version, null, DistributionCsv.ToRowErrors(e.Errors, lines!), cancellationToken).ConfigureAwait(false);
        }
        catch (CommandConflictException)
        {
            await ReportAsync(version, null, new() { ["idempotencyKey"] = ["The idempotency key was already used with a different distribution."] }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(ReadVersion blob, string? commandId, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var report = new Report(blob.Client.Name, blob.ETag.ToString(), commandId, commandId is null ? null : "/api/commands/" + commandId, commandId is null ? "Rejected" : "Accepted", errors);
        BlobClient target = platform.Blobs.GetBlobContainerClient(blob.Client.BlobContainerName).GetBlobClient(blob.Client.Name + ResultSuffix);
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

    // The blob version this invocation read.
    private sealed record ReadVersion(BlobClient Client, ETag ETag, IDictionary<string, string> Metadata);
}
