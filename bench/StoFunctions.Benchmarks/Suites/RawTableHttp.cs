using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// The floor for the storage suite: Table inserts and entity-group transactions written straight onto an
/// <see cref="HttpClient"/> (SharedKeyLite, minimal-metadata JSON, no retries, no response parsing beyond the
/// status), so a client library's figures can be read as a fraction of what Azurite itself allows.
/// </summary>
public sealed class RawTableHttp : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly Uri _endpoint;
    private readonly string _account;
    private readonly byte[] _key;

    /// <summary>Reads <c>TableEndpoint</c>, <c>AccountName</c> and <c>AccountKey</c> from an explicit connection string.</summary>
    public RawTableHttp(string connectionString)
    {
        Dictionary<string, string> parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        _endpoint = new Uri(parts["TableEndpoint"].TrimEnd('/') + "/");
        _account = parts["AccountName"];
        _key = Convert.FromBase64String(parts["AccountKey"]);
    }

    /// <summary>Inserts one entity (POST to the table, <c>Prefer: return-no-content</c>).</summary>
    public async Task InsertAsync(string table, IReadOnlyDictionary<string, object> entity)
    {
        using HttpRequestMessage request = Request(HttpMethod.Post, table);
        request.Headers.Add("Prefer", "return-no-content");
        request.Content = new ByteArrayContent(Json(entity));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await SendAsync(request, 204).ConfigureAwait(false);
    }

    /// <summary>Inserts the entities (one PartitionKey, ≤ 100) in one entity-group transaction.</summary>
    public async Task InsertBatchAsync(string table, IReadOnlyList<IReadOnlyDictionary<string, object>> entities)
    {
        string batch = "batch_" + Guid.NewGuid().ToString("D");
        string changeset = "changeset_" + Guid.NewGuid().ToString("D");
        var text = new StringBuilder(300 * entities.Count);
        text.Append("--").Append(batch).Append("\r\nContent-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        for (int i = 0; i < entities.Count; i++)
        {
            text.Append("--").Append(changeset).Append("\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append("POST ").Append(_endpoint.AbsoluteUri).Append(table).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\n")
                .Append("Content-ID: ").Append(i + 1).Append("\r\nContent-Type: application/json\r\nPrefer: return-no-content\r\n\r\n")
                .Append(Encoding.UTF8.GetString(Json(entities[i]))).Append("\r\n");
        }

        text.Append("--").Append(changeset).Append("--\r\n--").Append(batch).Append("--\r\n");
        using HttpRequestMessage request = Request(HttpMethod.Post, "$batch");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text.ToString()));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=" + batch);
        string body = await SendAsync(request, 202).ConfigureAwait(false);
        // A changeset fails as a whole with one non-2xx part inside a 202; the floor must not count a failure as a write.
        if (body.Contains(" HTTP/1.1 4", StringComparison.Ordinal) || body.Contains(" HTTP/1.1 5", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The raw transaction failed inside its 202 response:\n" + body);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var uri = new Uri(_endpoint, path);
        var request = new HttpRequestMessage(method, uri);
        string date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        string signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(date + "\n/" + _account + uri.AbsolutePath)));
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", "2019-02-02");
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("Accept", "application/json;odata=minimalmetadata");
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {_account}:{signature}");
        return request;
    }

    private async Task<string> SendAsync(HttpRequestMessage request, int expected)
    {
        using HttpResponseMessage response = await _http.SendAsync(request).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if ((int)response.StatusCode != expected)
        {
            throw new InvalidOperationException($"Raw {request.Method} {request.RequestUri} answered {(int)response.StatusCode}, expected {expected}:\n{body}");
        }

        return body;
    }

    private static byte[] Json(IReadOnlyDictionary<string, object> entity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach ((string name, object value) in entity)
            {
                switch (value)
                {
                    case long l:
                        json.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                        json.WriteString(name + "@odata.type", "Edm.Int64");
                        break;
                    case DateTimeOffset d:
                        json.WriteString(name, d.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                        json.WriteString(name + "@odata.type", "Edm.DateTime");
                        break;
                    default:
                        json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
