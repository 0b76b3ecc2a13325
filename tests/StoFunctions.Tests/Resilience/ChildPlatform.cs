using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Resilience;

/// <summary>
/// The app as a child process (<see cref="AppProcess"/>) on a given Azurite and anvil, signing as one anvil
/// dev account, plus what crash tests need around it: HTTP calls that survive the app being down (they retry
/// until it is back, with the same idempotency key), the ledger read straight from storage, and the audit.
/// </summary>
internal sealed class ChildPlatform : IAsyncDisposable
{
    private ChildPlatform(AppProcess app, AnvilProcess anvil, string storage, int account)
    {
        App = app;
        Anvil = anvil;
        Rpc = new JsonRpcClient(anvil.RpcUrl);
        Issuer = Address.Parse(AnvilAccounts.Addresses[account]);
        Lane = new LaneId(anvil.ChainId, Issuer);
        Ledger = new LedgerTable(StorageAccount.FromConnectionString(storage).Tables.GetTableClient(Platform.LedgerTableName));
    }

    public AppProcess App { get; }

    public AnvilProcess Anvil { get; }

    /// <summary>The chain directly (never through a fault proxy): the test's own view.</summary>
    public JsonRpcClient Rpc { get; }

    public Address Issuer { get; }

    public LaneId Lane { get; }

    public LedgerTable Ledger { get; }

    /// <summary>Starts the app signing as anvil account <paramref name="account"/>, talking to <paramref name="rpcUrl"/> (default anvil itself).</summary>
    public static async Task<ChildPlatform> StartAsync(AnvilProcess anvil, AzuriteProcess azurite, int account, Uri? rpcUrl = null, Action<AppProcessOptions>? configure = null)
    {
        AppProcessOptions options = AppProcessOptions.ForPlatform(azurite.ConnectionString, rpcUrl ?? anvil.RpcUrl, anvil.ChainId, AnvilAccounts.PrivateKeys[account]);
        configure?.Invoke(options);
        AppProcess app = await AppProcess.StartAsync(options);
        return new ChildPlatform(app, anvil, azurite.ConnectionString, account);
    }

    /// <summary>
    /// POSTs a command until it is accepted (202) and returns its id. Connection failures and 5xx (the app was
    /// killed, or its chain reads failed) are retried with the same idempotency key until <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> SubmitAsync(string path, string json, string idempotencyKey, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                using HttpResponseMessage response = await App.Client.SendAsync(request);
                string text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
                }

                Assert.True((int)response.StatusCode >= 500, $"{path}: {(int)response.StatusCode} {text}");
                last = $"{(int)response.StatusCode} {text}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                last = e.Message;
            }

            await Task.Delay(250);
        }

        throw new Xunit.Sdk.XunitException($"{path} was not accepted before the deadline; last answer: {last}\n{Tail(App.History)}");
    }

    /// <summary>Polls the command until Completed (fails on Failed); tolerates the app being down meanwhile.</summary>
    public async Task<JsonElement> WaitCompletedAsync(string id, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (await TryStatusAsync(id) is JsonElement status)
            {
                string runtime = status.GetProperty("runtimeStatus").GetString()!;
                Assert.True(runtime != "Failed", $"command {id} failed: {status}");
                if (runtime == "Completed")
                {
                    return status;
                }

                last = status.ToString();
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"command {id} did not complete in time; last status: {last}\n{Tail(App.History)}");
    }

    /// <summary>The command's status, or null while the app does not answer.</summary>
    public async Task<JsonElement?> TryStatusAsync(string id)
    {
        try
        {
            using HttpResponseMessage response = await App.Client.GetAsync(new Uri("/api/commands/" + id, UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Issues an unrestricted 0-decimals token holding <paramref name="amount"/> and waits; returns its address.</summary>
    public async Task<Address> IssueAsync(string amount, string idempotencyKey)
    {
        string body = $$"""{"name":"Crash Corp","symbol":"CRSH","amount":"{{amount}}","decimals":0,"url":"https://tokenmarket.net","idempotencyKey":"{{idempotencyKey}}"}""";
        JsonElement status = await WaitCompletedAsync(await SubmitAsync("/api/tokens", body, idempotencyKey));
        return Address.Parse(status.GetProperty("output").GetProperty("tokenAddress").GetString()!);
    }

    /// <summary>The JSON body of a distribution paying <paramref name="amounts"/> (recipient → amount), external ids <c>{prefix}-{i}</c>.</summary>
    public static string DistributionJson(string prefix, IReadOnlyList<KeyValuePair<Address, UInt256>> amounts)
    {
        var rows = amounts.Select((p, i) => new { externalId = prefix + "-" + i.ToString(CultureInfo.InvariantCulture), address = p.Key.ToString(), amount = p.Value.ToString() });
        return JsonSerializer.Serialize(new { rows });
    }

    /// <summary><paramref name="count"/> distinct recipients derived from <paramref name="seed"/>, each with a distinct amount.</summary>
    public static List<KeyValuePair<Address, UInt256>> Recipients(int seed, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var bytes = new byte[20];
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), seed);
            BitConverter.TryWriteBytes(bytes.AsSpan(16, 4), i + 1);
            bytes[8] = 0x5a;
            return KeyValuePair.Create(Address.FromBytes(bytes), (UInt256)(ulong)(i + 1));
        })];

    /// <summary>The last part of the app's output, for failure messages.</summary>
    public static string Tail(string text, int chars = 6000) => text.Length <= chars ? text : "…" + text[^chars..];

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Rpc.Dispose();
    }
}
