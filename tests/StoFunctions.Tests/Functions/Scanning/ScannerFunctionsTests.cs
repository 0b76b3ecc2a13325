using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Scanning;
using StoFunctions.Runtime;
using StoFunctions.Testing;
using StoFunctions.Tests.Hosting;

namespace StoFunctions.Tests.Functions.Scanning;

/// <summary>The scanner routes over the real app, anvil and Azurite.</summary>
public sealed class ScannerFunctionsTests : IAsyncLifetime
{
    private const string Key = "scanner-test-key-51a7";
    private static readonly BigInteger s_unit = BigInteger.Pow(10, 18);
    private AnvilProcess? _anvil;
    private JsonRpcClient? _rpc;
    private Factory? _factory;
    private HttpClient? _http;

    private AnvilProcess Anvil => _anvil!;

    private JsonRpcClient Rpc => _rpc!;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        _anvil = await AnvilProcess.StartAsync();
        _rpc = new JsonRpcClient(_anvil.RpcUrl);
        string prefix = "h" + Guid.NewGuid().ToString("N")[..12];
        _factory = new Factory(new Dictionary<string, string?>
        {
            ["FunctionKeys:default"] = Key,
            ["AzureWebJobsStorage"] = await AzuriteProcess.SharedAsync(),
            ["Ethereum:RpcUrl"] = _anvil.RpcUrl.ToString(),
            ["ScanSchedule"] = "0 * * * * *",
            ["Scanner:TablePrefix"] = prefix,
            ["Scanner:TokensTable"] = prefix + "tokens",
        });
        _http = _factory.CreateClient();
        _http.DefaultRequestHeaders.Add("x-functions-key", Key);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _rpc?.Dispose();
        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }
    }

    [Fact]
    public async Task Scan_then_holders_as_JSON_and_CSV_carry_balances_supplies_and_identity_names_from_the_sto_CSV()
    {
        Address token = await DeployAndDistributeAsync();
        const string identities = "name,address\nCrypto Mikko,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,300\nRandom Whale,0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2,500\n";
        using HttpResponseMessage put = await Http.PutAsync("/api/identities", new StringContent(identities, Encoding.UTF8, "text/csv"));
        JsonElement named = await CompletedAsync(put, "identities");
        Assert.Equal(2, named.GetProperty("output").GetProperty("count").GetInt32());

        using HttpResponseMessage scan = await Http.PostAsJsonAsync($"/api/tokens/{token.ToLowerHex()}/scans", new { });
        JsonElement scanned = (await CompletedAsync(scan, "scan")).GetProperty("output");
        Assert.Equal(3, scanned.GetProperty("events").GetInt64());
        Assert.Equal(await Rpc.GetBlockNumberAsync(), scanned.GetProperty("lastBlock").GetUInt64());

        JsonElement table = await Http.GetFromJsonAsync<JsonElement>($"/api/tokens/{token}/holders?orderBy=name&orderDirection=asc&accuracy=1");
        Assert.Equal(token.ToString(), table.GetProperty("token").GetString());
        Assert.Equal("Moo Corp", table.GetProperty("name").GetString());
        Assert.Equal("MOO", table.GetProperty("symbol").GetString());
        Assert.Equal(18, table.GetProperty("decimals").GetInt32());
        Assert.Equal("9999", table.GetProperty("totalSupply").GetString());
        Assert.Equal("9999", table.GetProperty("accountedSupply").GetString());
        Assert.Equal(3, table.GetProperty("holderCount").GetInt32());
        JsonElement[] holders = [.. table.GetProperty("holders").EnumerateArray()];
        // Holders without a name sort after the named ones in either direction (issue #14 item 13).
        Assert.Equal(["Crypto Mikko", "Random Whale", "<Unknown>"], holders.Select(h => h.GetProperty("name").GetString()));
        Assert.Equal(["300.0", "500.0", "9199.0"], holders.Select(h => h.GetProperty("balance").GetString()));
        Assert.Equal((9199 * s_unit).ToString(), holders[2].GetProperty("raw").GetString());
        Assert.Equal("3.00", holders[0].GetProperty("percent").GetString());
        Assert.Equal("0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6", holders[0].GetProperty("address").GetString());
        Assert.True(holders[1].GetProperty("lastTransferBlock").GetUInt64() > 0);

        JsonElement descending = await Http.GetFromJsonAsync<JsonElement>($"/api/tokens/{token}/holders?orderBy=name&orderDirection=desc");
        Assert.Equal(["Random Whale", "Crypto Mikko", "<Unknown>"], descending.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("name").GetString()));

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/tokens/{token}/holders?maxEntries=2");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using HttpResponseMessage csv = await Http.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        string[] lines = (await csv.Content.ReadAsStringAsync()).TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Equal("address,name,balance,raw,percent,lastTransferBlock,lastTransferTime", lines[0]);
        Assert.StartsWith($"{AnvilAccounts.Addresses[0]},<Unknown>,9199.00,{9199 * s_unit},92.00,", lines[1], StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith($"0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2,Random Whale,500.00,{500 * s_unit},5.00,", lines[2]);

        ulong deployBlock = (await Rpc.GetBlockNumberAsync()) - 2;
        JsonElement atDeploy = await Http.GetFromJsonAsync<JsonElement>($"/api/tokens/{token}/holders?atBlock={deployBlock}");
        Assert.Equal(deployBlock, atDeploy.GetProperty("asOfBlock").GetUInt64());
        Assert.Equal(1, atDeploy.GetProperty("holderCount").GetInt32());
        Assert.Equal("9999.00", atDeploy.GetProperty("holders")[0].GetProperty("balance").GetString());
    }

    [Fact]
    public async Task Watch_puts_a_token_on_the_list_and_the_Scan_timer_scans_it()
    {
        Address token = await DeployAndDistributeAsync();
        using HttpResponseMessage watch = await Http.PutAsJsonAsync($"/api/tokens/{token}/watch", new { fromBlock = 1 });
        Assert.Equal(token.ToString(), (await CompletedAsync(watch, "watch")).GetProperty("output").GetProperty("token").GetString());

        using (IServiceScope scope = _factory!.Services.CreateScope())
        {
            await ActivatorUtilities.CreateInstance<ScanTimerFunction>(scope.ServiceProvider).RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        }

        JsonElement table = await Http.GetFromJsonAsync<JsonElement>($"/api/tokens/{token}/holders");
        Assert.Equal(3, table.GetProperty("holderCount").GetInt32());
        Assert.Equal(await Rpc.GetBlockNumberAsync(), table.GetProperty("asOfBlock").GetUInt64());
    }

    [Fact]
    public async Task Bad_input_is_a_4xx_problem_naming_the_field_and_writes_nothing()
    {
        Address token = await DeployAndDistributeAsync();
        string mixedBadChecksum = "0x0BDCC26C4B8077374ba9DB82164B77d6885b92a6";

        (await (await Http.PostAsJsonAsync("/api/tokens/0x1234/scans", new { })).AssertProblemAsync(400)).GetProperty("errors").GetProperty("token");
        (await (await Http.PostAsJsonAsync($"/api/tokens/{token}/scans", new { fromBlock = 9, toBlock = 3 })).AssertProblemAsync(400)).GetProperty("errors").GetProperty("fromBlock");
        await (await Http.PostAsync($"/api/tokens/{token}/scans", new StringContent("{\"fromBlock\": -4}", Encoding.UTF8, "application/json"))).AssertProblemAsync(400);
        await (await Http.PostAsJsonAsync($"/api/tokens/{ScanChainAccount(6)}/scans", new { })).AssertProblemAsync(400);
        await (await Http.GetAsync($"/api/tokens/{token}/holders")).AssertProblemAsync(409);

        JsonElement query = await (await Http.GetAsync($"/api/tokens/{token}/holders?orderBy=shoe&orderDirection=up&maxEntries=0&accuracy=-1&includeEmpty=maybe&atBlock=x&atTime=never")).AssertProblemAsync(400);
        Assert.Equal(
            ["accuracy", "atBlock", "atTime", "includeEmpty", "maxEntries", "orderBy", "orderDirection"],
            query.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        string csv = $"name,address\nGood,{AnvilAccounts.Addresses[1]}\nBad,{mixedBadChecksum}\n,{AnvilAccounts.Addresses[2]}\n";
        JsonElement rows = await (await Http.PutAsync("/api/identities", new StringContent(csv, Encoding.UTF8, "text/csv"))).AssertProblemAsync(400);
        Assert.Equal(["row 2", "row 3"], rows.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await (await Http.PutAsync("/api/identities", new StringContent("[{\"name\":\"x\"}]", Encoding.UTF8, "application/json"))).AssertProblemAsync(400);
        await (await Http.PutAsync("/api/identities", new StringContent("x", Encoding.UTF8, "text/plain"))).AssertProblemAsync(415);

        await CompletedAsync(await Http.PostAsJsonAsync($"/api/tokens/{token}/scans", new { }), "scan");
        JsonElement table = await Http.GetFromJsonAsync<JsonElement>($"/api/tokens/{token}/holders");
        Assert.All(table.GetProperty("holders").EnumerateArray(), h => Assert.Equal("<Unknown>", h.GetProperty("name").GetString()));
        await (await Http.GetAsync($"/api/tokens/{token}/holders?atBlock=99999999")).AssertProblemAsync(409);

        using var anonymous = _factory!.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/tokens/{token}/holders")).StatusCode);
    }

    [Fact]
    public async Task A_scan_is_a_202_command_idempotent_per_key_whose_status_is_served_at_its_Location()
    {
        Address token = await DeployAndDistributeAsync();
        using var first = new HttpRequestMessage(HttpMethod.Post, $"/api/tokens/{token}/scans") { Content = JsonContent.Create(new { fromBlock = 1 }) };
        first.Headers.Add("Idempotency-Key", "scan-once");
        using HttpResponseMessage accepted = await Http.SendAsync(first);
        JsonElement status = await CompletedAsync(accepted, "scan");
        string id = status.GetProperty("id").GetString()!;
        Assert.StartsWith("scan", id, StringComparison.Ordinal);
        Assert.Equal(token.ToString(), status.GetProperty("input").GetProperty("token").GetString());
        Assert.Equal(3, status.GetProperty("output").GetProperty("events").GetInt64());

        // The same key and body: the same command, no new scan (a second scan from block 1 would report 3 events again
        // and a later Timestamp); the key in the body works like the header.
        using HttpResponseMessage again = await Http.PostAsJsonAsync($"/api/tokens/{token}/scans", new { fromBlock = 1, idempotencyKey = "scan-once" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal(status.GetProperty("lastUpdatedTime").GetDateTimeOffset(), (await Http.GetFromJsonAsync<JsonElement>($"/api/commands/{id}")).GetProperty("lastUpdatedTime").GetDateTimeOffset());

        await (await Http.PostAsJsonAsync($"/api/tokens/{token}/scans", new { fromBlock = 2, idempotencyKey = "scan-once" })).AssertProblemAsync(409);
        await (await Http.GetAsync($"/api/commands/scan{new string('0', 32)}")).AssertProblemAsync(404);
    }

    /// <summary>Checks the 202 shape, then polls its Location until the command has finished; returns the final status.</summary>
    private async Task<JsonElement> CompletedAsync(HttpResponseMessage response, string name)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string location = response.Headers.Location!.OriginalString;
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/api/commands/" + body.GetProperty("id").GetString(), location);
        Assert.EndsWith(location, body.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
        for (int i = 0; i < 600; i++)
        {
            using HttpResponseMessage poll = await Http.GetAsync(location);
            Assert.True(poll.IsSuccessStatusCode, $"GET {location}: {(int)poll.StatusCode} {await poll.Content.ReadAsStringAsync()}");
            JsonElement status = await poll.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(name, status.GetProperty("name").GetString());
            switch (status.GetProperty("runtimeStatus").GetString())
            {
                case "Completed":
                    return status;
                case "Failed":
                    Assert.Fail($"{name} failed: {status.GetProperty("error")}");
                    break;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{name} command {location} did not finish in 60 s");
    }

    private static string ScanChainAccount(int index) => AnvilAccounts.Addresses[index];

    private async Task<Address> DeployAndDistributeAsync()
    {
        Address issuer = Address.Parse(AnvilAccounts.Addresses[0]);
        TransactionReceipt deploy = await SendAsync(issuer, null, PlainTokenContract.Deploy("Moo Corp", "MOO", (UInt256)(9999 * s_unit)));
        Address token = deploy.ContractAddress!.Value;
        await SendAsync(issuer, token, PlainTokenContract.Transfer(Address.Parse("0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6"), (UInt256)(300 * s_unit)));
        await SendAsync(issuer, token, PlainTokenContract.Transfer(Address.Parse("0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2"), (UInt256)(500 * s_unit)));
        return token;
    }

    private async Task<TransactionReceipt> SendAsync(Address from, Address? to, byte[] data)
    {
        var tx = new Dictionary<string, object?> { ["from"] = from.ToString(), ["data"] = "0x" + Convert.ToHexStringLower(data), ["gas"] = "0x4c4b40" };
        if (to is { } target)
        {
            tx["to"] = target.ToString();
        }

        Hash32 hash = await Rpc.SendAsync<Hash32>("eth_sendTransaction", [tx]);
        TransactionReceipt receipt = await AnvilProcess.WaitForReceiptAsync(Rpc, hash);
        Assert.True(receipt.Succeeded, $"transaction {hash} reverted");
        return receipt;
    }

    private sealed class Factory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }
}
