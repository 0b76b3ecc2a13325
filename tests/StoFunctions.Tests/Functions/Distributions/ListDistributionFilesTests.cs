using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using StoFunctions.Ethereum;
using StoFunctions.Testing;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Distributions;

/// <summary>
/// <c>GET /api/tokens/{token}/distribution-files</c> against Azurite with the real blob trigger writing the reports.
/// </summary>
public sealed class ListDistributionFilesTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    internal const string BadCsv = "external_id,email,name,address,amount\n" +
        "BAD-01,a@example.com,Good Row,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,1\n" +
        "BAD-02,b@example.com,Bad Address,0x0bdcc26c4b8077374ba9db82164b77d6885b92aZ,1\n" +
        "BAD-03,c@example.com,Bad Amount,0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2,1.5x\n";

    private static string ExampleCsv => File.ReadAllText(Path.Combine(RepoPaths.Shared, "examples", "example-distribution.csv"));

    [Fact]
    public async Task AcceptedAndRejectedDrops_AreListedWithTheirCommandAndRowErrors_NewestFirst_ANestedBlobIsLeftOut()
    {
        Address token = await app.IssueAsync("9999");
        string good = $"{token}/good.csv";
        // The trigger takes the lower-case spelling of the folder too: it is the same token's.
        string bad = $"{token.ToLowerHex()}/bad.csv";
        string nested = $"{token}/archive/old.csv";
        await app.Distributions.GetBlobClient(good).UploadAsync(BinaryData.FromString(ExampleCsv), overwrite: true);
        await app.Distributions.GetBlobClient(bad).UploadAsync(BinaryData.FromString(BadCsv), overwrite: true);
        await app.Distributions.GetBlobClient(nested).UploadAsync(BinaryData.FromString(ExampleCsv), overwrite: true);
        JsonElement goodReport = await app.WaitReportAsync(good);
        JsonElement badReport = await app.WaitReportAsync(bad);
        await app.WaitReportAsync(nested);
        Assert.Equal("Accepted", goodReport.GetProperty("result").GetString());
        Assert.Equal("Rejected", badReport.GetProperty("result").GetString());

        JsonElement[] files = await FilesAsync(token, "");
        Assert.Equal(new[] { bad, good }.Order(StringComparer.Ordinal), files.Select(f => f.GetProperty("blob").GetString()).Order(StringComparer.Ordinal));
        DateTimeOffset[] times = [.. files.Select(f => f.GetProperty("lastModified").GetDateTimeOffset())];
        Assert.Equal(times.OrderDescending(), times);

        JsonElement accepted = files.Single(f => f.GetProperty("blob").GetString() == good);
        string commandId = goodReport.GetProperty("commandId").GetString()!;
        Assert.Equal("good.csv", accepted.GetProperty("name").GetString());
        Assert.Equal("Accepted", accepted.GetProperty("result").GetString());
        Assert.Equal(commandId, accepted.GetProperty("commandId").GetString());
        Assert.Equal("/api/commands/" + commandId, accepted.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, accepted.GetProperty("errors").ValueKind);
        Assert.Equal(Encoding.UTF8.GetByteCount(ExampleCsv), accepted.GetProperty("size").GetInt64());
        Assert.Equal((await app.Distributions.GetBlobClient(good).GetPropertiesAsync()).Value.ETag.ToString(), accepted.GetProperty("eTag").GetString());

        JsonElement rejected = files.Single(f => f.GetProperty("blob").GetString() == bad);
        Assert.Equal("Rejected", rejected.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, rejected.GetProperty("commandId").ValueKind);
        JsonElement errors = rejected.GetProperty("errors");
        Assert.Equal(["row 3", "row 4"], errors.EnumerateObject().Select(e => e.Name));
        foreach (JsonProperty error in badReport.GetProperty("errors").EnumerateObject())
        {
            Assert.Equal(error.Value.EnumerateArray().Select(m => m.GetString()), errors.GetProperty(error.Name).EnumerateArray().Select(m => m.GetString()));
        }

        JsonElement[] first = await FilesAsync(token, "?limit=1");
        Assert.Equal(files[0].GetProperty("blob").GetString(), Assert.Single(first).GetProperty("blob").GetString());
        await app.WaitCompletedAsync(commandId);
    }

    [Fact]
    public async Task AnotherTokensFolder_IsNotListed()
    {
        Address token = Address.Parse(AnvilAccounts.Addresses[7]);
        Address other = Address.Parse(AnvilAccounts.Addresses[8]);
        await app.Distributions.GetBlobClient($"{other}/theirs.csv").UploadAsync(BinaryData.FromString(BadCsv), overwrite: true);
        await app.WaitReportAsync($"{other}/theirs.csv");
        Assert.Empty(await FilesAsync(token, ""));
        Assert.Single(await FilesAsync(other, ""));
    }

    [Theory]
    [InlineData("0x1234", "", "token")]
    [InlineData("0x0bdcc26C4B8077374ba9DB82164B77d6885b92A6", "", "token")]
    [InlineData("0x0bdcc26c4b8077374ba9db82164b77d6885b92a6", "?limit=0", "limit")]
    [InlineData("0x0bdcc26c4b8077374ba9db82164b77d6885b92a6", "?limit=101", "limit")]
    [InlineData("0x0bdcc26c4b8077374ba9db82164b77d6885b92a6", "?limit=ten", "limit")]
    public async Task ABadTokenOrLimit_Is400ProblemDetailsNamingTheField(string token, string query, string field)
    {
        using HttpResponseMessage response = await app.Client.GetAsync($"/api/tokens/{token}/distribution-files{query}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement[]> FilesAsync(Address token, string query)
    {
        using HttpResponseMessage response = await app.Client.GetAsync($"/api/tokens/{token}/distribution-files{query}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        JsonElement answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(token.ToString(), answer.GetProperty("token").GetString());
        return [.. answer.GetProperty("files").EnumerateArray().Select(f => f.Clone())];
    }
}
