using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Distributions;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Functions.Distributions;

/// <summary>
/// <c>GET /api/tokens/{token}/distribution-files</c> while no trigger runs: the test runs <see cref="DistributionBlob"/>
/// itself, so a file stays without a report (or with one for an older version) for as long as the test looks.
/// </summary>
public sealed class ListDistributionFilesPendingTests(BlobTriggerOffApp fixture) : IClassFixture<BlobTriggerOffApp>
{
    [Fact]
    public async Task AFileReuploadedAfterItsReport_IsPending_NotTheOldVersionsOutcome()
    {
        Address token = Address.Parse(AnvilAccounts.Addresses[5]);
        BlobClient blob = fixture.App.Distributions.GetBlobClient($"{token}/payroll.csv");
        await blob.UploadAsync(BinaryData.FromString(ListDistributionFilesTests.BadCsv), overwrite: true);

        JsonElement unreported = Assert.Single(await FilesAsync(token));
        Assert.Equal("Pending", unreported.GetProperty("result").GetString());

        // The function itself writes the report of the version now there (a rejected file never reaches Durable).
        await new DistributionBlob(fixture.App.Platform, fixture.App.Services.GetRequiredService<StoFunctions.Functions.Orchestration.LaneWaker>()).RunAsync(blob, null!, CancellationToken.None);
        JsonElement reported = Assert.Single(await FilesAsync(token));
        Assert.Equal("Rejected", reported.GetProperty("result").GetString());
        JsonElement report = JsonDocument.Parse((await fixture.App.Distributions.GetBlobClient(blob.Name + DistributionBlob.ResultSuffix).DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.NotEmpty(report.GetProperty("errors").EnumerateObject());
        Assert.Equal(report.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal), reported.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));

        await blob.UploadAsync(BinaryData.FromString(ListDistributionFilesTests.BadCsv.Replace("1.5x", "1.5", StringComparison.Ordinal)), overwrite: true);
        string etag = (await blob.GetPropertiesAsync()).Value.ETag.ToString();
        Assert.Equal(report.GetProperty("eTag").GetString(), JsonDocument.Parse((await fixture.App.Distributions.GetBlobClient(blob.Name + DistributionBlob.ResultSuffix).DownloadContentAsync()).Value.Content.ToString()).RootElement.GetProperty("eTag").GetString());
        Assert.NotEqual(report.GetProperty("eTag").GetString(), etag);
        JsonElement reuploaded = Assert.Single(await FilesAsync(token));
        Assert.Equal(etag, reuploaded.GetProperty("eTag").GetString());
        Assert.Equal("Pending", reuploaded.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, reuploaded.GetProperty("errors").ValueKind);
        Assert.Equal(JsonValueKind.Null, reuploaded.GetProperty("commandId").ValueKind);
    }

    private async Task<JsonElement[]> FilesAsync(Address token)
    {
        using HttpResponseMessage response = await fixture.App.Client.GetAsync($"/api/tokens/{token}/distribution-files");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("files").EnumerateArray().Select(f => f.Clone())];
    }
}
