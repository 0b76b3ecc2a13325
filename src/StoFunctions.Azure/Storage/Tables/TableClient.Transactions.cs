using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Tables;

public partial class TableClient
{
    /// <summary>At most this many actions fit in one entity-group transaction.</summary>
    public const int MaxTransactionActions = 100;

    private const int MaxTransactionBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Submits an entity-group transaction: all actions succeed or none is applied. Actions must share one
    /// PartitionKey, name each RowKey once and number 1–100; these rules and every entity's limits are checked
    /// before sending. Returns the new ETag of each action in order (default for deletes).
    /// </summary>
    /// <exception cref="TableTransactionFailedException">The service rejected the transaction; nothing was written.
    /// <see cref="TableTransactionFailedException.FailedActionIndex"/> names the failing action; a stale ETag gives
    /// status 412 (<c>UpdateConditionNotSatisfied</c>).</exception>
    /// <exception cref="ArgumentException">The actions break a transaction rule or a service limit.</exception>
    public virtual async Task<Response<IReadOnlyList<ETag>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        TableTransactionAction[] list = actions.ToArray();
        ValidateTransaction(list);
        (string contentType, byte[] body) = TableBatchRequest.Build(_pipeline.Endpoint, Name, list);
        if (body.Length > MaxTransactionBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The transaction body is {body.Length} bytes; the Table service allows {MaxTransactionBytes} (4 MiB). Split it into smaller transactions."),
                nameof(actions));
        }

        using HttpMessage message = CreateMessage(RequestMethod.Post, "$batch");
        message.Request.Headers.SetValue("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(body);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 202, 400, 403, 404, 409, 412, 413).ConfigureAwait(false);
        if (response.Status != 202)
        {
            // Batch-level rejections (malformed batch, too many actions) come back outside the multipart body.
            response.Headers.TryGetValue("Content-Type", out string? errorType);
            throw Failed(new TableBatchResponse.SubResponse(response.Status, new Dictionary<string, string> { ["Content-Type"] = errorType ?? string.Empty }, response.Content.ToString()), list.Length);
        }


        response.Headers.TryGetValue("Content-Type", out string? responseType);
        IReadOnlyList<TableBatchResponse.SubResponse> parts = TableBatchResponse.Parse(responseType ?? string.Empty, response.Content.ToString());
        foreach (TableBatchResponse.SubResponse part in parts)
        {
            if (part.Status >= 400)
            {
                throw Failed(part, list.Length);
            }
        }

        if (parts.Count != list.Length)
        {
            throw new RequestFailedException(response.Status,
                $"The transaction response has {parts.Count} parts for {list.Length} actions; cannot tell which actions were applied.",
                null, null);
        }

        var etags = parts.Select(p => p.Headers.TryGetValue("ETag", out string? e) ? new ETag(e) : default).ToArray();
        return Response.FromValue<IReadOnlyList<ETag>>(etags, response);
    }

    private void ValidateTransaction(TableTransactionAction[] actions)
    {
        if (actions.Length is 0 or > MaxTransactionActions)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A transaction needs 1..{MaxTransactionActions} actions, not {actions.Length}; split it into several transactions."),
                nameof(actions));
        }

        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < actions.Length; i++)
        {
            TableTransactionAction action = actions[i] ?? throw new ArgumentException($"Transaction action {i} is null.", nameof(actions));
            TableEntity entity = action.Entity ?? throw new ArgumentException($"Transaction action {i} has no entity.", nameof(actions));
            try
            {
                if (action.ActionType == TableTransactionActionType.Delete)
                {
                    TableValidation.Key(entity.PartitionKey, "PartitionKey");
                    TableValidation.Key(entity.RowKey, "RowKey");
                }
                else
                {
                    TableValidation.Entity(entity);
                }
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Transaction action {i}: {e.Message}", nameof(actions), e);
            }

            if (action.ActionType is TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpdateReplace && action.ETag == default)
            {
                throw new ArgumentException(
                    $"Transaction action {i} updates ({entity.PartitionKey}, {entity.RowKey}) without an ETag: pass the ETag read with the entity, or ETag.All to overwrite unconditionally.",
                    nameof(actions));
            }

            if (!string.Equals(entity.PartitionKey, actions[0].Entity.PartitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Transaction action {i} has PartitionKey '{entity.PartitionKey}' but action 0 has '{actions[0].Entity.PartitionKey}'; an entity-group transaction covers one partition.",
                    nameof(actions));
            }

            if (!rowKeys.Add(entity.RowKey))
            {
                throw new ArgumentException(
                    $"Transaction action {i} repeats RowKey '{entity.RowKey}'; each entity may appear once per transaction.",
                    nameof(actions));
            }
        }
    }

    private TableTransactionFailedException Failed(TableBatchResponse.SubResponse part, int actionCount)
    {
        string? code = null, text = null;
        try
        {
            (code, text) = StorageRequestFailedDetailsParser.ParseBody(BinaryData.FromString(part.Body));
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException)
        {
            text = part.Body;
        }

        // The service prefixes the message with the 0-based index of the failing action: "1:The specified entity already exists."
        int? index = null;
        Match match = Regex.Match(text ?? string.Empty, @"^(\d+):");
        if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed < actionCount)
        {
            index = parsed;
        }

        string where = index is int i ? $"action {i}" : "the batch";
        return new TableTransactionFailedException(part.Status,
            $"Transaction on table '{Name}' failed at {where} (HTTP {part.Status} {code}): {text}. Nothing was written; fix or re-read that entity and resubmit.",
            code, index);
    }
}
