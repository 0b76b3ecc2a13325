using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Functions.Commands;
using StoFunctions.Runtime;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Commands;

/// <summary>
/// Issue #14 items 8, 10 and 13: input that used to be a 500, or was sent, is a 400 problem naming the member
/// (HTTP) or a poison message with the reason (queue); nothing is planned either way. The token is the
/// catalogue's foreign token (2 decimals).
/// </summary>
public sealed class StrictInputTests(CatalogueApp fixture) : IClassFixture<CatalogueApp>
{
    private const string Holder = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Issuer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    public static TheoryData<string, string, string, int, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, int, string, string>();
        void Add(string name, string path, string body, string errorKey, string fragment, int status = 400) => data.Add(name, path, body, status, errorKey, fragment);
        Add("duplicate member", "tokens/{token}/transfers", $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\",\"amount\":\"500000\"}}", "amount", "appears more than once");
        Add("duplicate member in a row", "tokens/{token}/distributions", $"{{\"rows\":[{{\"externalId\":\"a\",\"address\":\"{Holder}\",\"address\":\"{Holder}\",\"amount\":\"1\"}}]}}", "rows[0].address", "appears more than once");
        Add("lone surrogate", "tokens", "{\"name\":\"\\ud800\",\"symbol\":\"A\",\"amount\":\"1\"}", "name", "lone UTF-16 surrogate");
        Add("transfer to the token itself", "tokens/{token}/transfers", "{\"externalId\":\"a\",\"to\":\"{token}\",\"amount\":\"1\"}", "to", "is the token contract itself");
        Add("transfer to the issuer", "tokens/{token}/transfers", $"{{\"externalId\":\"a\",\"to\":\"{Issuer}\",\"amount\":\"1\"}}", "to", "is the issuer");
        Add("distribution row to the token itself", "tokens/{token}/distributions", "{\"rows\":[{\"externalId\":\"a\",\"address\":\"{token}\",\"amount\":\"1\"}]}", "rows[0].address", "is the token contract itself");
        Add("amount with spaces", "tokens/{token}/transfers", $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\" 1 \"}}", "amount", "has whitespace");
        Add("amount with a no-break space", "tokens/{token}/transfers", $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"\\u00a01\"}}", "amount", "has whitespace");
        Add("amount with a tab", "tokens/{token}/transfers", $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\\t\"}}", "amount", "has whitespace");
        Add("amount with leading zeros", "tokens/{token}/transfers", $"{{\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"0001\"}}", "amount", "has leading zeros");
        Add("decimals as a string", "tokens", "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"decimals\":\"18\"}", "decimals", "Must be a JSON number");
        Add("javascript url", "tokens", "{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"url\":\"javascript:alert(1)\"}", "url", "is not an allowed link");
        Add("0X address prefix", "tokens/{token}/transfers", "{\"externalId\":\"a\",\"to\":\"0X0bdcc26c4b8077374ba9db82164b77d6885b92a6\",\"amount\":\"1\"}", "to", "starts with '0X'");
        Add("0X hash prefix", "tokens/{token}/documents", "{\"name\":\"n\",\"uri\":\"https://example.com/d\",\"hash\":\"0X" + new string('a', 64) + "\"}", "hash", "starts with '0X'");
        Add("address with a space", "tokens/{token}/transfers", $"{{\"externalId\":\"a\",\"to\":\" {Holder}\",\"amount\":\"1\"}}", "to", "has whitespace");
        Add("bad checksum keyed to", "tokens/{token}/transfers", "{\"externalId\":\"a\",\"to\":\"0x0BDcc26C4B8077374ba9DB82164B77d6885b92a6\",\"amount\":\"1\"}", "to", "EIP-55");
        Add("restriction value above u64", "tokens/{token}/restrictions", "{\"key\":\"KYC\",\"type\":\"EQ\",\"value\":18446744073709551616}", "value", "out of range; must be from 0 to 18446744073709551615");
        Add("kyc entry value above u64", "kyc-registries/{token}/entries", $"{{\"address\":\"{Holder}\",\"value\":18446744073709551616}}", "value", "out of range; must be from 0 to 18446744073709551615");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task StrictInputOverHttp_IsA400ProblemNamingTheMember_AndPlansNothing(string name, string path, string body, int status, string errorKey, string fragment)
    {
        using HttpResponseMessage response = await SendAsync("POST", Expand(path), Expand(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(errorKey, out JsonElement messages), $"{name}: no '{errorKey}' in {text}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(fragment, StringComparison.Ordinal));
        Assert.Equal(0, await fixture.App.CountRowsAsync("commands"));
        Assert.Equal(0, await fixture.App.CountRowsAsync("ledger"));
    }

    public static TheoryData<string, string, string> QueueCases() => new()
    {
        { "duplicate member", $"{{\"command\":\"transfer\",\"idempotencyKey\":\"q-dup\",\"payload\":{{\"token\":\"{{token}}\",\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"1\",\"amount\":\"500000\"}}}}", "'payload.amount'" },
        { "lone surrogate", "{\"command\":\"issue\",\"idempotencyKey\":\"q-sur\",\"payload\":{\"name\":\"\\ud800\",\"symbol\":\"A\",\"amount\":\"1\"}}", "'payload.name'" },
        { "amount with leading zeros", $"{{\"command\":\"transfer\",\"idempotencyKey\":\"q-zero\",\"payload\":{{\"token\":\"{{token}}\",\"externalId\":\"a\",\"to\":\"{Holder}\",\"amount\":\"0001\"}}}}", "amount: '0001' has leading zeros" },
        { "transfer to the token itself", "{\"command\":\"transfer\",\"idempotencyKey\":\"q-self\",\"payload\":{\"token\":\"{token}\",\"externalId\":\"a\",\"to\":\"{token}\",\"amount\":\"1\"}}", "to: " },
        { "decimals as a string", "{\"command\":\"issue\",\"idempotencyKey\":\"q-dec\",\"payload\":{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"decimals\":\"18\"}}", "decimals: Must be a JSON number" },
        { "javascript url", "{\"command\":\"issue\",\"idempotencyKey\":\"q-url\",\"payload\":{\"name\":\"A\",\"symbol\":\"A\",\"amount\":\"1\",\"url\":\"javascript:alert(1)\"}}", "url: 'javascript:alert(1)' is not an allowed link" },
    };

    [Theory]
    [MemberData(nameof(QueueCases))]
    public async Task StrictInputOnTheQueue_IsPoisonedWithTheReason_AndPlansNothing(string name, string message, string fragment)
    {
        var queue = new StoCommandsQueue(fixture.App.Platform, fixture.App.Services.GetRequiredService<StoFunctions.Functions.Orchestration.LaneWaker>());
        var trigger = global::Azure.Storage.Queues.Models.QueuesModelFactory.QueueMessage(name, popReceipt: null, BinaryData.FromString(Expand(message)), dequeueCount: 1);
        PoisonMessageException poison = await Assert.ThrowsAsync<PoisonMessageException>(() => queue.RunAsync(trigger, fixture.App.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>(), CancellationToken.None));
        Assert.Contains(fragment, poison.Message, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.App.CountRowsAsync("commands"));
        Assert.Equal(0, await fixture.App.CountRowsAsync("ledger"));
    }

    [Fact]
    public async Task SnapshotWithoutABodyOrContentLength_IsReadAsEmpty_NotRefusedAsInvalidJson()
    {
        using HttpResponseMessage response = await SendAsync("POST", $"tokens/{fixture.App.Platform.Issuer}/snapshots", null);
        string text = await response.Content.ReadAsStringAsync();
        // The foreign "token" here is the issuer's own account, so the planner refuses it: what matters is that
        // the empty body got that far instead of a "not valid JSON" answer.
        Assert.DoesNotContain("not valid JSON", text, StringComparison.Ordinal);
        Assert.DoesNotContain("must be a JSON object", text, StringComparison.Ordinal);
        Assert.Contains("The snapshot command is invalid", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A7KbRouteSegment_IsEchoedAtMost100CharactersLong()
    {
        string segment = "0x" + new string('z', 7000);
        using HttpResponseMessage response = await SendAsync("GET", "tokens/" + segment, null);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(400, (int)response.StatusCode);
        Assert.True(text.Length < 1000, $"the answer has {text.Length} characters");
        Assert.Contains("… (7002 characters)", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestTargetOver8Kb_Is414ProblemDetails()
    {
        using HttpResponseMessage response = await SendAsync("GET", "tokens?x=" + new string('a', 9000), null);
        Assert.Equal(414, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("the limit is 8192", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadersOver32Kb_Are431ProblemDetails()
    {
        using HttpClient client = fixture.App.CreateBareClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tokens");
        request.Headers.Add("x-functions-key", PlatformApp.FunctionKey);
        request.Headers.Add("x-filler", new string('a', 40_000));
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(431, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("the limit is 32768", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestWithoutAKey_SaysItRequiresAFunctionKey_WithoutTheDoubledArticle()
    {
        using HttpClient client = fixture.App.CreateBareClient();
        using HttpResponseMessage response = await client.GetAsync("/api/tokens");
        string detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith("This route requires a function key.", detail, StringComparison.Ordinal);
    }

    private string Expand(string text) => text.Replace("{token}", fixture.Token.ToString(), StringComparison.Ordinal);

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body)
    {
        using HttpClient client = fixture.App.CreateBareClient();
        var request = new HttpRequestMessage(new HttpMethod(method), "/api/" + path);
        request.Headers.Add("x-functions-key", PlatformApp.FunctionKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        return await client.SendAsync(request);
    }
}
