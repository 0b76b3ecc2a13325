using System.Net;
using System.Text.Json;
using StoFunctions.Tests.Functions.Commands;

namespace StoFunctions.Tests.Functions.Distributions;

/// <summary>
/// ≥ 20 bad distribution files: dropped into the <c>distributions</c> container each gets a Rejected report
/// with its errors, and posted as text/csv each gets a 400 with the same errors; nothing is planned or sent.
/// The token is the catalogue's foreign token (2 decimals, issuer balance 0).
/// </summary>
public sealed class BadCsvCatalogueTests(CatalogueApp fixture) : IClassFixture<CatalogueApp>
{
    private const string Header = "external_id,email,name,address,amount";
    private const string Good = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";

    public static TheoryData<string, string, string> Files() => new()
    {
        { "empty", "", "file" },
        { "blank lines only", "\n\n\n", "file" },
        { "header only", Header + "\n", "file" },
        { "missing amount column", "external_id,email,name,address\nA,,,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6\n", "header" },
        { "unknown column", Header + ",country\nA,,,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,1,FI\n", "header" },
        { "repeated column", Header + ",amount\nA,,,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,1,1\n", "header" },
        { "no header", "A,,,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6,1\n", "header" },
        { "too few columns in a row", Header + "\nA,,,0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6\n", "row 2" },
        { "too many columns in a row", Header + $"\nA,,,{Good},1,extra\n", "row 2" },
        { "bad checksum", Header + "\nA,,,0x0BDcc26C4B8077374ba9DB82164B77d6885b92a6,1\n", "row 2" },
        { "short address", Header + "\nA,,,0x0bdcc26C,1\n", "row 2" },
        { "zero address", Header + "\nA,,,0x0000000000000000000000000000000000000000,1\n", "row 2" },
        { "missing address", Header + "\nA,,,,1\n", "row 2" },
        { "negative amount", Header + $"\nA,,,{Good},-1\n", "row 2" },
        { "too precise amount", Header + $"\nA,,,{Good},1.005\n", "row 2" },
        { "exponent amount", Header + $"\nA,,,{Good},1e3\n", "row 2" },
        { "thousands separator", Header + $"\nA,,,{Good},\"1,000\"\n", "row 2" },
        { "zero amount", Header + $"\nA,,,{Good},0\n", "row 2" },
        { "empty external id", Header + $"\n,,,{Good},1\n", "row 2" },
        { "duplicate external id", Header + $"\nA,,,{Good},1\nA,,,{Good},2\n", "row 3" },
        { "total above the issuer's balance", Header + $"\nA,,,{Good},1\n", "amount" },
        { "one bad row among good ones", Header + $"\nA,,,{Good},1\nB,,,0xnothex,1\nC,,,{Good},1\n", "row 3" },
        { "huge amount", Header + $"\nA,,,{Good},{new string('9', 90)}\n", "row 2" },
        { "amount with a space", Header + $"\nA,,,{Good}, 1\n", "row 2" },
        { "amount with a tab", Header + $"\nA,,,{Good},1\t\n", "row 2" },
        { "amount with leading zeros", Header + $"\nA,,,{Good},0001\n", "row 2" },
        { "address with 0X", Header + "\nA,,,0X0bdcc26c4b8077374ba9db82164b77d6885b92a6,1\n", "row 2" },
    };

    /// <summary>Quoting mistakes: the error names the line the quote opened on and says what is wrong.</summary>
    public static TheoryData<string, string, string, string> QuoteFiles() => new()
    {
        { "quoted line break", Header + $"\nA,,\"Ali\nce\",{Good},1\nB,,,{Good},1\n", "row 2", "has a line break inside a quoted value" },
        { "unterminated quote", Header + $"\nA,,,{Good},1\nB,,\"Bob,{Good},1\n", "row 3", "opens a quoted value that is never closed" },
    };

    [Theory]
    [MemberData(nameof(QuoteFiles))]
    public async Task CsvQuotingMistake_Is400NamingTheLineAndTheMistake(string name, string csv, string errorKey, string fragment)
    {
        using HttpResponseMessage response = await fixture.App.PostCsvAsync($"/api/tokens/{fixture.Token}/distributions", csv);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(errorKey, out JsonElement messages), $"{name}: no '{errorKey}' in {text}");
        Assert.Contains(fragment, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.App.CountRowsAsync("commands"));
    }

    [Fact]
    public async Task BlobNestedBelowTheTokenFolder_GetsARejectedReport_AndStartsNothing()
    {
        string blob = $"{fixture.Token}/a/b/nested-{Guid.NewGuid():N}.csv";
        await fixture.App.Distributions.GetBlobClient(blob).UploadAsync(BinaryData.FromString(Header + $"\nA,,,{Good},1\n"), overwrite: true);
        JsonElement report = await fixture.App.WaitReportAsync(blob);
        Assert.Equal("Rejected", report.GetProperty("result").GetString());
        Assert.Contains("is nested below the token folder", report.GetProperty("errors").GetProperty("blob")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.App.CountRowsAsync("commands"));
        Assert.Equal(0, await fixture.App.CountRowsAsync("ledger"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task BadCsvOverHttp_Is400WithTheRowErrors_AndPlansNothing(string name, string csv, string errorKey)
    {
        using HttpResponseMessage response = await fixture.App.PostCsvAsync($"/api/tokens/{fixture.Token}/distributions", csv);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(errorKey, out _), $"{name}: no '{errorKey}' in {text}");
        Assert.Equal(0, await fixture.App.CountRowsAsync("commands"));
    }

    [Fact]
    public async Task BadCsvFilesDropped_EachGetARejectedReport_AndNothingIsSent()
    {
        ulong nonce = await fixture.App.IssuerNonceAsync();
        var files = Files().Select(row => ((string)row[0], (string)row[1], (string)row[2])).ToList();
        Assert.True(files.Count >= 20);
        var blobs = new List<(string Blob, string Name, string Key)>();
        foreach ((string name, string csv, string key) in files)
        {
            string blob = $"{fixture.Token}/bad-{Guid.NewGuid():N}.csv";
            await fixture.App.Distributions.GetBlobClient(blob).UploadAsync(BinaryData.FromString(csv), overwrite: true);
            blobs.Add((blob, name, key));
        }

        foreach ((string blob, string name, string key) in blobs)
        {
            JsonElement report = await fixture.App.WaitReportAsync(blob);
            Assert.True(report.GetProperty("result").GetString() == "Rejected", $"{name}: {report}");
            Assert.Equal(JsonValueKind.Null, report.GetProperty("commandId").ValueKind);
            Assert.True(report.GetProperty("errors").TryGetProperty(key, out _), $"{name}: no '{key}' in {report}");
        }

        Assert.Equal(0, await fixture.App.CountRowsAsync("commands"));
        Assert.Equal(0, await fixture.App.CountRowsAsync("ledger"));
        Assert.Equal(nonce, await fixture.App.IssuerNonceAsync());
    }

    [Fact]
    public async Task BlobNotUnderATokenAddress_GetsARejectedReport()
    {
        await fixture.App.Distributions.GetBlobClient("not-a-token/file.csv").UploadAsync(BinaryData.FromString(Header + $"\nA,,,{Good},1\n"), overwrite: true);
        JsonElement report = await fixture.App.WaitReportAsync("not-a-token/file.csv");
        Assert.Equal("Rejected", report.GetProperty("result").GetString());
        Assert.True(report.GetProperty("errors").TryGetProperty("token", out _));
    }
}
