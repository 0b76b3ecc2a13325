using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Distributions;

/// <summary>
/// <c>GET /api/tokens/{token}/distribution-files?limit=20</c>: the CSV files dropped into container
/// <c>distributions</c> directly under the token's folder, newest first, each with the outcome of
/// <see cref="DistributionBlob"/>'s <c>.result.json</c> report for that very version: <c>Accepted</c> (the command),
/// <c>Rejected</c> (errors by row; nothing was started) or <c>Pending</c> (no report yet, or only one for an older
/// version of a re-uploaded file). Without it a rejected drop's row errors were visible only to someone browsing
/// the container.
/// </summary>
public sealed class ListDistributionFiles(Platform platform, ILogger<ListDistributionFiles> logger)
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;
    private const int ParallelReads = 16;

    /// <summary><c>GET /api/tokens/{token}/distribution-files</c>.</summary>
    [Function(nameof(ListDistributionFiles))]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/distribution-files")] HttpRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (!Address.TryParse(token, out Address address))
        {
            errors["token"] = [$"'{EchoText.Bounded(token)}' is not a token address: expected 0x and 40 hex digits, all lower case or with a valid EIP-55 checksum."];
        }

        int limit = DefaultLimit;
        if (request.Query["limit"].FirstOrDefault() is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"'{EchoText.Bounded(limitText)}' must be an integer from 1 to {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Result(400, "The distribution files read is invalid: " + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }

        BlobContainerClient container = platform.Blobs.GetBlobContainerClient(Platform.DistributionsContainer);
        List<BlobItem> items = await ListAsync(container, address, cancellationToken).ConfigureAwait(false);
        var reports = new HashSet<string>(items.Where(i => i.Name.EndsWith(DistributionBlob.ResultSuffix, StringComparison.Ordinal)).Select(i => i.Name), StringComparer.Ordinal);
        BlobItem[] page =
        [
            .. items
                .Where(i => i.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(i => i.Properties.LastModified ?? DateTimeOffset.MinValue)
                .ThenBy(i => i.Name, StringComparer.Ordinal)
                .Take(limit),
        ];

        var files = new DistributionFile[page.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, page.Length), new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            BlobItem item = page[i];
            string reportName = item.Name + DistributionBlob.ResultSuffix;
            DistributionBlob.Report? report = reports.Contains(reportName) ? await ReadReportAsync(container.GetBlobClient(reportName), ct).ConfigureAwait(false) : null;
            files[i] = Describe(item, report);
        }).ConfigureAwait(false);

        return Results.Json(new DistributionFiles(address.ToString(), Platform.DistributionsContainer, files), GetCommand.Json);
    }

    // The trigger takes any spelling Address.TryParse accepts as the folder (lower case, upper case, EIP-55, with
    // 0x or 0X), and blob names are case-sensitive: each spelling is its own folder, so every one is listed.
    // Listing by hierarchy returns the folder's direct children only; nested blobs come back as prefixes and are
    // left out, as the trigger does not start them either.
    private static async Task<List<BlobItem>> ListAsync(BlobContainerClient container, Address token, CancellationToken cancellationToken)
    {
        string digits = token.ToLowerHex()[2..];
        string[] folders = [.. new[] { "0x", "0X" }
            .SelectMany(p => new[] { p + digits, p + digits.ToUpperInvariant(), p + token.ToString()[2..] })
            .Distinct(StringComparer.Ordinal)];
        List<BlobItem>[] lists = await Task.WhenAll(folders.Select(async folder =>
        {
            var list = new List<BlobItem>();
            try
            {
                await foreach (BlobHierarchyItem item in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", folder + "/", cancellationToken).ConfigureAwait(false))
                {
                    if (item.IsBlob)
                    {
                        list.Add(item.Blob);
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // No container yet (the app creates it at start): nothing was dropped.
            }

            return list;
        })).ConfigureAwait(false);
        return [.. lists.SelectMany(l => l)];
    }

    private async Task<DistributionBlob.Report?> ReadReportAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            BinaryData content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            return content.ToObjectFromJson<DistributionBlob.Report>(GetCommand.Json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted since the listing: as if it had never been written.
            return null;
        }
        catch (JsonException ex)
        {
            logger.DistributionReportUnreadable(blob.Name, ex.Message);
            return null;
        }
    }

    private static DistributionFile Describe(BlobItem item, DistributionBlob.Report? report)
    {
        int slash = item.Name.IndexOf('/', StringComparison.Ordinal);
        // In the quoted form of the blob's ETag header (a listing gives it bare), as the report names its version.
        string etag = $"\"{Bare(item.Properties.ETag?.ToString() ?? "")}\"";
        var file = new DistributionFile(item.Name, item.Name[(slash + 1)..], item.Properties.ContentLength ?? 0, item.Properties.LastModified, etag, "Pending", null, null, null);

        // A report names the version it read; one for an older version says nothing about the file now there.
        if (report is null || Bare(report.ETag) != Bare(etag))
        {
            return file;
        }

        return report.Result == "Accepted" && report.CommandId is not null
            ? file with { Result = "Accepted", CommandId = report.CommandId, Status = report.Status ?? "/api/commands/" + report.CommandId }
            : file with { Result = "Rejected", Errors = InRowOrder(report.Errors ?? []) };
    }

    // HTTP headers quote an ETag and a listing may not: compare the opaque value only.
    private static string Bare(string etag) => etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..].Trim('"') : etag.Trim('"');

    // The file-wide keys (header, file, token, blob, idempotencyKey) first, then row 2, row 3, … by number.
    private static Dictionary<string, string[]> InRowOrder(Dictionary<string, string[]> errors) =>
        errors.OrderBy(e => DistributionCsv.Line(e.Key) ?? -1).ThenBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>The answer.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="Container">The container the files are in.</param>
    /// <param name="Files">Newest first (last modified), at most <c>limit</c>.</param>
    public sealed record DistributionFiles(string Token, string Container, IReadOnlyList<DistributionFile> Files);

    /// <summary>One dropped file and the outcome of its current version.</summary>
    /// <param name="Blob">The blob's full name, <c>{token}/{name}.csv</c>.</param>
    /// <param name="Name">The file name under the token folder.</param>
    /// <param name="Size">Bytes.</param>
    /// <param name="LastModified">When this version was uploaded.</param>
    /// <param name="ETag">This version's ETag.</param>
    /// <param name="Result"><c>Accepted</c>, <c>Rejected</c>, or <c>Pending</c> (no report for this version yet).</param>
    /// <param name="CommandId">The distribution command when accepted.</param>
    /// <param name="Status">Its status path (<c>/api/commands/{id}</c>) when accepted.</param>
    /// <param name="Errors">When rejected: <c>row N</c> (line N of the file) or <c>header</c>, <c>file</c>, … → messages.</param>
    public sealed record DistributionFile(string Blob, string Name, long Size, DateTimeOffset? LastModified, string ETag, string Result, string? CommandId, string? Status, IReadOnlyDictionary<string, string[]>? Errors);
}
