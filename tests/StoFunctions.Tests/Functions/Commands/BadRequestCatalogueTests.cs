using System.Text;
using System.Text.Json;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Testing;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Commands;

/// <summary>
/// A chain-side token the pipeline never touched (deployed by anvil account 1, 2 decimals, the issuer holds
/// nothing), so every request below must fail validation and the commands and ledger tables stay empty.
/// </summary>
public sealed class CatalogueApp : IAsyncLifetime
{
    public PlatformApp App { get; } = new();

    public Address Token { get; private set; }

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        Address admin = Address.Parse(AnvilAccounts.Addresses[1]);
        JsonElement hash = await App.Anvil.RpcAsync("eth_sendTransaction", new { from = admin.ToString(), data = Hex.Encode(SecurityTokenContract.Deploy("Other", "OTH", 2, "", admin)), gas = "0x1000000" });
        Token = (await AnvilProcess.WaitForReceiptAsync(App.Rpc, Hash32.Parse(hash.GetString()!))).ContractAddress!.Value;

        await App.Anvil.SendTransactionAndWaitAsync(new { from = admin.ToString(), to = Token.ToString(), data = Hex.Encode(SecurityTokenContract.Mint(admin, (UInt256)1_000_000UL)), gas = "0x100000" });
    }

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>≥ 30 bad HTTP requests → 4xx problem details, never 5xx, nothing planned.</summary>
public sealed class BadRequestCatalogueTests(CatalogueApp fixture) : IClassFixture<CatalogueApp>
{
    private const string Unknown = "0x1111111111111111111111111111111111111111";
    private const string BadChecksum = "0x0BDcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Holder = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";

    public static TheoryData<string, string, string, string?, string?, string, int> Cases()
    {
        var data = new TheoryData<string, string, string, string?, string?, string, int>();
        void Add(string name, string method, string path, string? type, string? body, int status, string key = "function") => data.Add(name, method, path, type, body, key, status);
        const string Json = "application/json";
        Add("issue: malformed JSON", "POST", "tokens", Json, "{\"name\":", 400);
        Add("issue: body is an array", "POST", "tokens", Json, "[]", 400);
        Add("issue: empty body", "POST", "tokens", Json, "", 400);
        Add("issue: text/plain", "POST", "tokens", "text/plain", "name=x", 415);
        Add("issue: name is a number", "POST", "tokens", Json, "{\"name\":1,\"symbol\":\"A\",\"amount\":\"1\"}", 400);
        Add("issue: symbol missing", "POST", "tokens", Json, "{\"name\":\"A\",\"amount\":\"1\"}", 400);
        Add("issue: amount is a JSON number", "POST", "tokens", Json, "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":9999}", 400);
        Add("issue: negative amount", "POST", "tokens", Json, "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"-1\"}", 400);
        Add("issue: fraction with 0 decimals", "POST", "tokens", Json, "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1.5\",\"decimals\":0}", 400);
        Add("issue: decimals 99", "POST", "tokens", Json, "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"decimals\":99}", 400);
        Add("issue: decimals not a number", "POST", "tokens", Json, "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"decimals\":\"abc\"}", 400);
        Add("issue: unknown restriction", "POST", "tokens", Json, "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"restriction\":\"maybe\"}", 400);
        Add("issue: registry with bad checksum", "POST", "tokens", Json, $"{{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"restriction\":\"restricted\",\"kycRegistry\":\"{BadChecksum}\"}}", 400);
        Add("issue: registry while unrestricted", "POST", "tokens", Json, $"{{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"kycRegistry\":\"{Holder}\"}}", 400);
        Add("issue: huge amount", "POST", "tokens", Json, "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"" + new string('9', 90) + "\"}", 400);
        Add("issue: registry not whitelisting the issuer", "POST", "tokens", Json, $"{{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"restriction\":\"restricted\",\"kycRegistry\":\"{Unknown}\"}}", 400);
        Add("transfer: bad checksum", "POST", "tokens/{token}/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{BadChecksum}\",\"amount\":\"1\"}}", 400);
        Add("transfer: zero address", "POST", "tokens/{token}/transfers", Json, "{\"externalId\":\"a\",\"to\":\"0x0000000000000000000000000000000000000000\",\"amount\":\"1\"}", 400);
        Add("transfer: externalId missing", "POST", "tokens/{token}/transfers", Json, $"{{\"to\":\"{Holder}\",\"amount\":\"1\"}}", 400);
        Add("transfer: too precise for 2 decimals", "POST", "tokens/{token}/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1.001\"}}", 400);
        Add("transfer: more than the issuer holds", "POST", "tokens/{token}/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\"}}", 400);
        Add("transfer: unknown token", "POST", $"tokens/{Unknown}/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\"}}", 400);
        Add("transfer: token not an address", "POST", "tokens/0x123/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\"}}", 400);
        Add("transfer: unknown member", "POST", "tokens/{token}/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\",\"memo\":\"x\"}}", 400);
        Add("transfer: amount with exponent", "POST", "tokens/{token}/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1e5\"}}", 400);
        Add("distribution: rows not an array", "POST", "tokens/{token}/distributions", Json, "{\"rows\":{}}", 400);
        Add("distribution: no rows", "POST", "tokens/{token}/distributions", Json, "{\"rows\":[]}", 400);
        Add("distribution: duplicate external ids", "POST", "tokens/{token}/distributions", Json, $"{{\"rows\":[{{\"externalId\":\"a\",\"address\":\"{Holder}\",\"amount\":\"1\"}},{{\"externalId\":\"a\",\"address\":\"{Holder}\",\"amount\":\"1\"}}]}}", 400);
        Add("distribution: short address", "POST", "tokens/{token}/distributions", Json, "{\"rows\":[{\"externalId\":\"a\",\"address\":\"0x1234\",\"amount\":\"1\"}]}", 400);
        Add("distribution: row not an object", "POST", "tokens/{token}/distributions", Json, "{\"rows\":[42]}", 400);
        Add("no function key", "POST", "tokens", Json, "{}", 401, key: "none");
        Add("wrong function key", "POST", "tokens", Json, "{}", 401, key: "wrong");
        Add("admin route with function key", "POST", $"accounts/{Holder}/nonce/restart", Json, "{}", 403);
        Add("command: unknown id", "GET", "commands/0123456789abcdef0123456789abcdef", null, null, 404);
        Add("command: malformed id", "GET", "commands/not-an-id!", null, null, 400);
        Add("token status: not an address", "GET", "tokens/0xnotanaddress", null, null, 400);
        Add("token status: no contract", "GET", $"tokens/{Unknown}", null, null, 404);
        Add("idempotencyKey field is a number", "POST", "tokens/{token}/transfers", Json, $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\",\"idempotencyKey\":5}}", 400);
        Add("kyc entries: unknown key name", "POST", $"kyc-registries/{Unknown}/entries", Json, $"{{\"address\":\"{Holder}\",\"key\":\"FOO\"}}", 400);
        Add("kyc entries: no registry contract", "POST", $"kyc-registries/{Unknown}/entries", Json, $"{{\"address\":\"{Holder}\"}}", 400);
        Add("restriction: unknown type", "POST", "tokens/{token}/restrictions", Json, "{\"key\":\"KYC\",\"type\":\"XX\",\"value\":1}", 400);
        Add("mint: zero amount", "POST", "tokens/{token}/mint", Json, "{\"amount\":\"0\"}", 400);
        Add("pause: unknown member", "POST", "tokens/{token}/pause", Json, "{\"now\":true}", 400);
        Add("burn: more than held", "POST", "tokens/{token}/burn", Json, "{\"amount\":\"1\"}", 400);
        Add("freeze: frozen not a boolean", "POST", "tokens/{token}/freezes", Json, $"{{\"address\":\"{Holder}\",\"frozen\":\"yes\"}}", 400);
        Add("transactions: limit 0", "GET", "transactions?limit=0", null, null, 400);
        Add("nonce: bad address", "GET", "accounts/0xzz/nonce", null, null, 400);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_IsAProblemDetails4xx_AndPlansNothing(string name, string method, string path, string? type, string? body, string key, int status)
    {
        using HttpClient client = fixture.App.CreateBareClient();
        var request = new HttpRequestMessage(new HttpMethod(method), "/api/" + path.Replace("{token}", fixture.Token.ToString(), StringComparison.Ordinal));
        if (key != "none")
        {
            request.Headers.Add("x-functions-key", key == "function" ? PlatformApp.FunctionKey : "not-a-key");
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = type is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        Assert.Equal(0, await fixture.App.CountRowsAsync("commands"));
        Assert.Equal(0, await fixture.App.CountRowsAsync("ledger"));
    }
}
