using System.Text.Json;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Tables;

public partial class TableClient
{
    /// <summary>The service returns at most this many entities per page.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>
    /// Queries entities page by page, following <c>x-ms-continuation-NextPartitionKey/NextRowKey</c> until the
    /// service stops returning them (pages may be empty yet continue). Build <paramref name="filter"/> with
    /// <see cref="TableFilter.Create"/> so values are escaped. <paramref name="maxPerPage"/> maps to <c>$top</c>
    /// (≤ 1000) and limits each page, not the total.
    /// </summary>
    public virtual AsyncPageable<TableEntity> QueryAsync(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, $"maxPerPage must be 1..{MaxPageSize} ($top).");
        }

        string? selectList = select is null ? null : string.Join(',', select);
        return new StoragePageable<TableEntity>(
            (token, pageSizeHint, ct) => QueryPageAsync(filter, pageSizeHint ?? maxPerPage, selectList, token, ct),
            cancellationToken);
    }

    private async Task<Page<TableEntity>> QueryPageAsync(string? filter, int? top, string? select, string? continuation, CancellationToken cancellationToken)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Get, Name + "()");
        RequestUriBuilder uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter, escapeValue: true);
        }

        if (!string.IsNullOrEmpty(select))
        {
            uri.AppendQuery("$select", select, escapeValue: true);
        }

        if (top is int n)
        {
            uri.AppendQuery("$top", n.ToString(System.Globalization.CultureInfo.InvariantCulture), escapeValue: false);
        }

        if (!string.IsNullOrEmpty(continuation))
        {
            // The token is "NextPartitionKey\nNextRowKey"; both parts are opaque service values.
            string[] parts = continuation.Split('\n');
            uri.AppendQuery("NextPartitionKey", parts[0], escapeValue: true);
            if (parts.Length > 1 && parts[1].Length > 0)
            {
                uri.AppendQuery("NextRowKey", parts[1], escapeValue: true);
            }
        }

        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        using JsonDocument json = JsonDocument.Parse(response.Content);
        var entities = new List<TableEntity>();
        foreach (JsonElement item in json.RootElement.GetProperty("value").EnumerateArray())
        {
            entities.Add(TableEntityJson.Read(item));
        }

        string? next = response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out string? nextPartition)
            ? nextPartition + "\n" + (response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out string? nextRow) ? nextRow : string.Empty)
            : null;
        return Page<TableEntity>.FromValues(entities, next, response);
    }
}
