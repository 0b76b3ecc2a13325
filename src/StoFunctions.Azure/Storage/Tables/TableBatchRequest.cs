using System.Text;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// Writes the <c>multipart/mixed</c> body of a Table <c>$batch</c>: one batch part holding one changeset whose
/// parts are <c>application/http</c> sub-requests with absolute URLs ("Performing entity group transactions").
/// </summary>
internal static class TableBatchRequest
{
    public static (string ContentType, byte[] Body) Build(Uri endpoint, string tableName, IReadOnlyList<TableTransactionAction> actions)
    {
        string batch = "batch_" + Guid.NewGuid().ToString("D");
        string changeset = "changeset_" + Guid.NewGuid().ToString("D");
        string baseUrl = endpoint.AbsoluteUri.TrimEnd('/');
        var text = new StringBuilder(256 * actions.Count);
        text.Append("--").Append(batch).Append("\r\n");
        text.Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        for (int i = 0; i < actions.Count; i++)
        {
            TableTransactionAction action = actions[i];
            TableEntity entity = action.Entity;
            string entityUrl = baseUrl + "/" + TableClient.EntityPath(tableName, entity.PartitionKey, entity.RowKey);
            (string method, string url, bool body, bool ifMatch) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", baseUrl + "/" + tableName, true, false),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUrl, true, true),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUrl, true, true),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUrl, true, false),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUrl, true, false),
                TableTransactionActionType.Delete => ("DELETE", entityUrl, false, true),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, $"Transaction action {i} has an unknown type."),
            };

            text.Append("--").Append(changeset).Append("\r\n");
            text.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            text.Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n");
            text.Append("Accept: application/json;odata=minimalmetadata\r\n");
            text.Append("DataServiceVersion: 3.0;\r\n");
            text.Append("Content-ID: ").Append(i + 1).Append("\r\n");
            if (ifMatch)
            {
                text.Append("If-Match: ").Append(action.ETag == default ? "*" : action.ETag.ToString()).Append("\r\n");
            }

            if (body)
            {
                text.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n");
                text.Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append("\r\n");
            }
            else
            {
                text.Append("\r\n");
            }
        }

        text.Append("--").Append(changeset).Append("--\r\n");
        text.Append("--").Append(batch).Append("--\r\n");
        return ("multipart/mixed; boundary=" + batch, Encoding.UTF8.GetBytes(text.ToString()));
    }
}
