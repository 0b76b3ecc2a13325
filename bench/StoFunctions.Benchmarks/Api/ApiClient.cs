using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Benchmarks.Api;

/// <summary>
/// Drives a running host the way a client does: HTTP with the function key, <c>202</c> + command id, status polls.
/// Every wait has a generous deadline and fails with the command's last status and the host's log tail.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(10);
    private readonly HttpClient _http;
    private readonly HostProcess _host;

    /// <summary>A client of <paramref name="host"/> with enough connections for 50 concurrent callers.</summary>
    public ApiClient(HostProcess host)
    {
        _host = host;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = host.BaseAddress, Timeout = s_deadline };
        _http.DefaultRequestHeaders.Add("x-functions-key", host.FunctionKey);
    }

    /// <summary>How many commands this client saw reach <c>Completed</c>.</summary>
    public int Completed { get; private set; }

    /// <summary>Issues an unrestricted 18-decimals token with <see cref="ChainFloor.Supply"/> to the issuer; returns its address.</summary>
    public async Task<Address> IssueAsync()
    {
        string id = await PostJsonAsync("/api/tokens", new JsonObject { ["name"] = "Bench", ["symbol"] = "BNCH", ["amount"] = ChainFloor.Supply.ToString(CultureInfo.InvariantCulture) });
        JsonElement status = await WaitCompletedAsync(id);
        return Address.Parse(status.GetProperty("output").GetProperty("tokenAddress").GetString()!);
    }

    /// <summary>The JSON body of a distribution of one token to each of <see cref="ChainFloor.Recipient"/>(0..rows-1).</summary>
    public static byte[] DistributionJson(int rows) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        rows = Enumerable.Range(0, rows).Select(i => new { externalId = "row-" + i.ToString(CultureInfo.InvariantCulture), address = ChainFloor.Recipient(i).ToString(), amount = "1" }),
    });

    /// <summary>The same distribution as <c>text/csv</c> (<c>external_id,email,name,address,amount</c>).</summary>
    public static byte[] DistributionCsv(int rows)
    {
        var csv = new StringBuilder("external_id,email,name,address,amount\n");
        for (int i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"row-{i},,,{ChainFloor.Recipient(i)},1\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>POSTs a prepared distribution body; returns the command id once the <c>202</c> is read.</summary>
    public Task<string> PostDistributionAsync(Address token, byte[] body, string contentType) =>
        PostAsync($"/api/tokens/{token}/distributions", body, contentType);

    /// <summary>One single transfer (<c>POST /api/tokens/{token}/transfers</c>) of one token to recipient <paramref name="index"/>.</summary>
    public Task<string> PostTransferAsync(Address token, int index) =>
        PostJsonAsync($"/api/tokens/{token}/transfers", new JsonObject
        {
            ["externalId"] = "transfer-" + index.ToString(CultureInfo.InvariantCulture),
            ["to"] = ChainFloor.Recipient(index).ToString(),
            ["amount"] = "1",
        });

    /// <summary>
    /// A single transfer whose body is not JSON (cut short), which the host refuses with <c>400</c> before it reads
    /// storage or the chain: what answering a POST at all costs.
    /// </summary>
    public async Task PostMalformedTransferAsync(Address token, int index)
    {
        byte[] cutShort = Encoding.UTF8.GetBytes("{\"externalId\": \"transfer-" + index.ToString(CultureInfo.InvariantCulture) + "\", \"to\": ");
        await PostAsync($"/api/tokens/{token}/transfers", cutShort, "application/json", HttpStatusCode.BadRequest);
    }

    /// <summary><c>POST /api/tokens/{token}/scans</c> from <paramref name="fromBlock"/>; returns the scan's command id.</summary>
    public Task<string> PostScanAsync(Address token, ulong fromBlock) =>
        PostJsonAsync($"/api/tokens/{token}/scans", new JsonObject { ["fromBlock"] = fromBlock });

    /// <summary>The cap table's first page (<c>GET /api/tokens/{token}/holders</c>, defaults), read to the end.</summary>
    public async Task<JsonElement> GetHoldersAsync(Address token)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri($"/api/tokens/{token}/holders", UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /api/tokens/{token}/holders answered {(int)response.StatusCode}: {Bounded(text)}\n{_host.LogTail()}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Waits until the issuer's mined nonce reaches <paramref name="target"/> (a cheap poll of the chain, so the host is
    /// not loaded by status reads of a command still sending), then polls the command until it is <c>Completed</c>.
    /// </summary>
    public async Task<JsonElement> WaitCompletedAsync(string id, JsonRpcClient? rpc = null, Address? sender = null, ulong target = 0)
    {
        var clock = Stopwatch.StartNew();
        if (rpc is not null && sender is Address from)
        {
            await WaitForNonceAsync(rpc, from, target, $"command {id}");
        }

        while (true)
        {
            JsonElement status = await GetStatusAsync(id);
            switch (status.GetProperty("runtimeStatus").GetString())
            {
                case "Completed":
                    Completed++;
                    return status;
                case "Failed":
                    throw new InvalidOperationException($"command {id} Failed: {Bounded(status.GetRawText())}\n{_host.LogTail()}");
            }

            Deadline(clock, $"command {id} is still {status.GetProperty("runtimeStatus").GetString()}: {Bounded(status.GetRawText())}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for every command in <paramref name="ids"/> (after the chain gate), 8 status reads at a time.</summary>
    public async Task WaitAllCompletedAsync(IReadOnlyCollection<string> ids, JsonRpcClient rpc, Address sender, ulong target)
    {
        var clock = Stopwatch.StartNew();
        await WaitForNonceAsync(rpc, sender, target, $"{ids.Count} transfers");

        var pending = new HashSet<string>(ids, StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var done = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
            {
                JsonElement status = await GetStatusAsync(id);
                switch (status.GetProperty("runtimeStatus").GetString())
                {
                    case "Completed":
                        done.Add(id);
                        break;
                    case "Failed":
                        throw new InvalidOperationException($"command {id} Failed: {Bounded(status.GetRawText())}\n{_host.LogTail()}");
                }
            });
            pending.ExceptWith(done);
            Completed += done.Count;
            if (pending.Count > 0)
            {
                Deadline(clock, $"{pending.Count} of {ids.Count} transfers are not Completed, e.g. {pending.First()}");
                await Task.Delay(50);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Waits until <paramref name="sender"/>'s mined nonce reaches <paramref name="target"/>; fails when it stops
    /// moving for 3 minutes (a stuck lane or node), naming the nonce and the node's pool, rather than waiting out
    /// the whole deadline.
    /// </summary>
    public async Task WaitForNonceAsync(JsonRpcClient rpc, Address sender, ulong target, string what)
    {
        ulong seen = 0;
        var still = Stopwatch.StartNew();
        ulong now;
        while ((now = await rpc.GetTransactionCountAsync(sender, BlockParameter.Latest)) < target)
        {
            if (now != seen)
            {
                seen = now;
                still.Restart();
            }
            else if (still.Elapsed > TimeSpan.FromMinutes(3))
            {
                string pool = await rpc.SendAsync<JsonElement>("txpool_status") is { ValueKind: JsonValueKind.Object } status ? status.GetRawText() : "unknown";
                throw new TimeoutException($"{what}: the issuer's mined nonce stayed at {now} for 3 min (needs {target}); the node's pool: {pool}.\n{_host.LogTail()}");
            }

            await Task.Delay(20);
        }
    }

    private async Task<JsonElement> GetStatusAsync(string id)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri("/api/commands/" + id, UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"GET /api/commands/{id} answered {(int)response.StatusCode}: {Bounded(text)}\n{_host.LogTail()}");
    }

    private Task<string> PostJsonAsync(string path, JsonObject body) =>
        PostAsync(path, Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");

    private async Task<string> PostAsync(string path, byte[] body, string contentType) =>
        JsonDocument.Parse(await PostAsync(path, body, contentType, HttpStatusCode.Accepted)).RootElement.GetProperty("id").GetString()!;

    // The answer's body, when its status is the one expected.
    private async Task<string> PostAsync(string path, byte[] body, string contentType, HttpStatusCode expected)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using HttpResponseMessage response = await _http.PostAsync(new Uri(path, UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}, expected {(int)expected}: {Bounded(text)}\n{_host.LogTail()}");
        }

        return text;
    }

    private void Deadline(Stopwatch clock, string what)
    {
        if (clock.Elapsed > s_deadline)
        {
            throw new TimeoutException($"{what} after {s_deadline.TotalMinutes:F0} min.\n{_host.LogTail()}");
        }
    }

    private static string Bounded(string text) => text.Length <= 1500 ? text : text[..1500] + "…";
}
