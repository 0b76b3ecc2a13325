using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Testing;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// The sto test suite's cases (research/sto.md §5) through real HTTP and the blob drop, against Azurite and anvil.
/// </summary>
public sealed class StoAcceptanceTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string Holder300 = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Holder500 = "0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2";
    private static readonly UInt256 s_unit = UInt256.Parse("1000000000000000000");

    private static string ExampleCsv => File.ReadAllText(Path.Combine(RepoPaths.Shared, "examples", "example-distribution.csv"));

    [Fact]
    public async Task Issue9999_TotalSupplyAndIssuerBalanceAre9999_AndTheTokenIsListed()
    {
        Address token = await app.IssueAsync("9999");

        using JsonDocument status = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}"));
        JsonElement root = status.RootElement;
        Assert.Equal("Moo Corp", root.GetProperty("name").GetString());
        Assert.Equal("MOO", root.GetProperty("symbol").GetString());
        Assert.Equal(18, root.GetProperty("decimals").GetInt32());
        Assert.Equal("9999", root.GetProperty("totalSupply").GetString());
        Assert.Equal((s_unit * (UInt256)9999UL).ToString(), root.GetProperty("totalSupplyRaw").GetString());
        Assert.Equal("9999", root.GetProperty("issuer").GetProperty("balance").GetString());
        Assert.Equal(app.Issuer.ToString(), root.GetProperty("issuer").GetProperty("address").GetString());
        Assert.False(root.GetProperty("paused").GetBoolean());
        Assert.Equal("unrestricted", root.GetProperty("policy").GetProperty("restriction").GetString());

        using JsonDocument list = JsonDocument.Parse(await app.Client.GetStringAsync("/api/tokens"));
        JsonElement listed = list.RootElement.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("address").GetString() == token.ToString());
        Assert.Equal("Completed", listed.GetProperty("runtimeStatus").GetString());
        Assert.True(listed.GetProperty("deploymentBlock").GetInt64() > 0);
    }

    [Fact]
    public async Task IssueCommand_TakesConsecutiveNoncesAndPredictsTheTokenAddress()
    {
        ulong before = await app.IssuerNonceAsync();
        string id = await app.SubmitAsync("/api/tokens", new { name = "Moo Corp", symbol = "MOO", amount = "9999" });
        JsonElement status = await app.WaitCompletedAsync(id);
        JsonElement[] txs = [.. status.GetProperty("output").GetProperty("transactions").EnumerateArray()];
        Assert.Equal([before, before + 1], txs.Select(t => t.GetProperty("nonce").GetUInt64()));
        Address predicted = Address.Parse(status.GetProperty("output").GetProperty("tokenAddress").GetString()!);
        Assert.Equal(CreateAddress(app.Issuer, before), predicted);
        Assert.Equal(2, status.GetProperty("customStatus").GetProperty("confirmed").GetInt32());
    }

    [Fact]
    public async Task ExampleCsvOverHttp_Pays300And500AndLeaves9199_AndARerunCreatesNothing()
    {
        Address token = await app.IssueAsync("9999");
        using HttpResponseMessage first = await app.PostCsvAsync($"/api/tokens/{token}/distributions", ExampleCsv);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        string id = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await app.WaitCompletedAsync(id);
        await AssertExampleBalancesAsync(token);

        ulong nonce = await app.IssuerNonceAsync();
        using HttpResponseMessage again = await app.PostCsvAsync($"/api/tokens/{token}/distributions", ExampleCsv, idempotencyKey: "rerun-" + token);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        string rerun = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.NotEqual(id, rerun);
        await app.WaitCompletedAsync(rerun);
        Assert.Equal(nonce, await app.IssuerNonceAsync());
        await AssertExampleBalancesAsync(token);
    }

    [Fact]
    public async Task ExampleCsvDroppedAsBlob_Pays300And500AndLeaves9199_AndReportsTheCommand()
    {
        Address token = await app.IssueAsync("9999");
        string name = $"{token}/example-distribution.csv";
        await app.Distributions.GetBlobClient(name).UploadAsync(BinaryData.FromString(ExampleCsv), overwrite: true);
        JsonElement report = await app.WaitReportAsync(name);
        Assert.Equal("Accepted", report.GetProperty("result").GetString());
        await app.WaitCompletedAsync(report.GetProperty("commandId").GetString()!);
        await AssertExampleBalancesAsync(token);
    }

    [Fact]
    public async Task RestrictedToken_RefusesUnlistedHoldersWithTheReason_ThenDistributesAfterWhitelisting()
    {
        JsonElement deployed = await app.WaitCompletedAsync(await app.SubmitAsync("/api/kyc-registries", new { }));
        Address registry = Address.Parse(deployed.GetProperty("output").GetProperty("registryAddress").GetString()!);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/kyc-registries/{registry}/entries", new { address = app.Issuer.ToString() }));
        Address token = await app.IssueAsync("9999", "restricted", registry);

        using HttpResponseMessage refused = await app.PostCsvAsync($"/api/tokens/{token}/distributions", ExampleCsv);
        string body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(body);
        JsonElement errors = problem.RootElement.GetProperty("errors");
        Assert.Contains("code 6", errors.GetProperty("row 2")[0].GetString());
        Assert.Contains("code 6", errors.GetProperty("row 3")[0].GetString());

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/kyc-registries/{registry}/entries", new { entries = new[] { new { address = Holder300 }, new { address = Holder500 } } }));
        using HttpResponseMessage accepted = await app.PostCsvAsync($"/api/tokens/{token}/distributions", ExampleCsv);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await app.WaitCompletedAsync(JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
        await AssertExampleBalancesAsync(token);

        using JsonDocument status = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}"));
        Assert.Equal("restricted", status.RootElement.GetProperty("policy").GetProperty("restriction").GetString());
        Assert.Equal(registry.ToString(), status.RootElement.GetProperty("policy").GetProperty("rules")[0].GetProperty("referenceToken").GetString());
    }

    [Fact]
    public async Task OneIdempotencyKeyViaHttpQueueAndBlob_IsOneCommandWithOneEffect()
    {
        Address token = await app.IssueAsync("9999");
        string key = "one-effect-" + token;
        string id = CommandKeys.IdFor(key);

        // The blob carries the key as metadata; the queue in its envelope; HTTP in the header.
        string name = $"{token}/same.csv";
        await app.Distributions.GetBlobClient(name).UploadAsync(BinaryData.FromString(ExampleCsv), new global::Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = new Dictionary<string, string> { ["idempotencyKey"] = key } });
        var rows = new[]
        {
            new { externalId = "TX-01", email = "mikko@example.com", name = "Crypto Mikko", address = Holder300, amount = "300" },
            new { externalId = "TX-02", email = "foobar@example.com", name = "Random Whale", address = Holder500, amount = "500" },
        };
        var queues = StorageAccount.FromConnectionString(app.Azurite.ConnectionString).Queues;
        await queues.GetQueueClient("sto-commands").SendMessageAsync(JsonSerializer.Serialize(new { command = "distribute", idempotencyKey = key, payload = new { token = token.ToString(), rows } }));
        Assert.Equal(id, await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }, key));

        JsonElement report = await app.WaitReportAsync(name);
        Assert.Equal(id, report.GetProperty("commandId").GetString());
        JsonElement status = await app.WaitCompletedAsync(id);
        Assert.Equal(2, status.GetProperty("output").GetProperty("transactions").GetArrayLength());

        // Give the queue message time to be handled too, then check nothing beyond the two transfers happened.
        await Task.Delay(1500);
        Assert.DoesNotContain(await PoisonTextsAsync(), t => t.Contains(key, StringComparison.Ordinal));
        await AssertExampleBalancesAsync(token);
    }

    [Fact]
    public async Task SameKeySameBody_IsTheSameCommand_AndSameKeyOtherBody_Is409()
    {
        string key = "conflict-" + Guid.NewGuid().ToString("N");
        string id = await app.SubmitAsync("/api/kyc-registries", new { }, key);
        Assert.Equal(CommandKeys.IdFor(key), id);
        Assert.Equal(id, await app.SubmitAsync("/api/kyc-registries", new { }, key));
        using HttpResponseMessage conflict = await app.PostJsonAsync("/api/tokens", new { name = "A", symbol = "A", amount = "1" }, key);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        JsonElement status = await app.WaitCompletedAsync(id);
        Assert.Equal(1, status.GetProperty("output").GetProperty("transactions").GetArrayLength());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"idempotencyKey\":\"k\",\"payload\":{}}")]
    [InlineData("{\"command\":\"distribute\",\"payload\":{}}")]
    [InlineData("{\"command\":\"transfer\",\"idempotencyKey\":\"bad-transfer\",\"payload\":{\"token\":\"0x123\"}}")]
    [InlineData("{\"command\":\"launch\",\"idempotencyKey\":\"unknown-command\",\"payload\":{}}")]
    public async Task MalformedQueueMessage_GoesToThePoisonQueue_AndPlansNothing(string body)
    {
        var queues = StorageAccount.FromConnectionString(app.Azurite.ConnectionString).Queues;
        string marker = Guid.NewGuid().ToString("N");
        string text = body.StartsWith('{') ? body.Insert(1, $"\"marker\":\"{marker}\",") : body + " " + marker;
        await queues.GetQueueClient("sto-commands").SendMessageAsync(text);
        var poison = StorageAccount.FromConnectionString(app.Azurite.ConnectionString).RawQueues.GetQueueClient("sto-commands-poison");
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                var peeked = (await poison.PeekMessagesAsync(32)).Value;
                if (peeked.Any(m => Decode(m.MessageText).Contains(marker, StringComparison.Ordinal)))
                {
                    break;
                }
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 404)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"'{body}' did not reach sto-commands-poison");
            await Task.Delay(200);
        }
    }

    private static string Decode(string text)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return text;
        }
    }

    private async Task<List<string>> PoisonTextsAsync()
    {
        var poison = StorageAccount.FromConnectionString(app.Azurite.ConnectionString).RawQueues.GetQueueClient("sto-commands-poison");
        try
        {
            return [.. (await poison.PeekMessagesAsync(32)).Value.Select(m => Decode(m.MessageText))];
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    private async Task AssertExampleBalancesAsync(Address token)
    {
        Assert.Equal(s_unit * (UInt256)300UL, await app.BalanceAsync(token, Holder300));
        Assert.Equal(s_unit * (UInt256)500UL, await app.BalanceAsync(token, Holder500));
        Assert.Equal(s_unit * (UInt256)9199UL, await app.BalanceAsync(token, app.Issuer.ToString()));
    }

    private static Address CreateAddress(Address sender, ulong nonce) => ContractAddress.Create(sender, nonce);
}
