using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using StoFunctions.Functions.Dashboard;
using StoFunctions.Tests.Hosting;

namespace StoFunctions.Tests.Functions.Dashboard;

/// <summary>
/// <c>GET /api/dashboard[/{*path}]</c> over HTTP in the real app (in memory): the embedded files with their
/// types, caching and security headers, 404 problem details for anything else, no way out of the file set.
/// </summary>
public sealed partial class ServeDashboardTests(StoFunctionsAppFactory factory) : IClassFixture<StoFunctionsAppFactory>
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

    [Theory]
    [InlineData("/api/dashboard")]
    [InlineData("/api/dashboard/")]
    [InlineData("/api/dashboard/index.html")]
    public async Task TheRoot_WithoutAKey_IsTheIndexWithItsBaseNoCacheAndTheStrictCsp(string path)
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync(path);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal(Csp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<base href=\"/api/dashboard/\">", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIndex_HasNoInlineScriptStyleOrEventHandler()
    {
        using HttpClient client = factory.CreateClient();
        string html = await client.GetStringAsync("/api/dashboard");

        Assert.All(ScriptTag().Matches(html), m => Assert.Contains("src=", m.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineAttribute(), html);
    }

    [Fact]
    public async Task EveryEmbeddedFile_IsServedWithItsContentTypeETagAndNoCache_AndAnUnchangedOneIs304()
    {
        using HttpClient client = factory.CreateClient();
        string[] paths = [.. DashboardFiles.Embedded.Paths.Where(p => p != "index.html")];
        Assert.Contains("app.js", paths);
        Assert.Contains("style.css", paths);
        Assert.Contains("pages/captable.js", paths);
        foreach (string path in paths)
        {
            using HttpResponseMessage response = await client.GetAsync("/api/dashboard/" + path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            string expectedType = Path.GetExtension(path) switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => throw new InvalidOperationException($"The test does not know the type of {path}; add it here and to DashboardFiles."),
            };
            Assert.Equal(expectedType, response.Content.Headers.ContentType?.ToString());
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            Assert.Equal(Csp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal(DashboardFiles.Embedded.Find(path)!.Content, await response.Content.ReadAsByteArrayAsync());
            EntityTagHeaderValue etag = Assert.IsType<EntityTagHeaderValue>(response.Headers.ETag);

            using var again = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/" + path);
            again.Headers.IfNoneMatch.Add(etag);
            using HttpResponseMessage notModified = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public void EveryModuleImportAndIndexReference_NamesAnEmbeddedFile()
    {
        // The browser resolves these at run time: a typo would only show as a 404 in the console.
        var missing = new List<string>();
        foreach (string path in DashboardFiles.Embedded.Paths.Where(p => p.EndsWith(".js", StringComparison.Ordinal)))
        {
            string source = System.Text.Encoding.UTF8.GetString(DashboardFiles.Embedded.Find(path)!.Content);
            foreach (Match import in ModuleImport().Matches(source))
            {
                string target = Resolve(path, import.Groups[1].Value);
                if (DashboardFiles.Embedded.Find(target) is null)
                {
                    missing.Add($"{path} imports {import.Groups[1].Value} ({target})");
                }
            }
        }

        string index = System.Text.Encoding.UTF8.GetString(DashboardFiles.Embedded.Find("index.html")!.Content);
        foreach (Match reference in IndexReference().Matches(index))
        {
            if (DashboardFiles.Embedded.Find(reference.Groups[1].Value) is null)
            {
                missing.Add($"index.html references {reference.Groups[1].Value}");
            }
        }

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("/api/dashboard/nope.js", "nope.js")]
    [InlineData("/api/dashboard/Index.html", "Index.html")]
    [InlineData("/api/dashboard/pages/", "pages/")]
    public async Task AnUnknownFile_Is404ProblemDetailsNamingIt(string path, string named)
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync(path);
        JsonElement problem = await response.AssertProblemAsync(404);
        Assert.Contains($"'{named}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/dashboard/..%2F..%2Fhost.json")]
    [InlineData("/api/dashboard/%2e%2e%2f%2e%2e%2fhost.json")]
    [InlineData("/api/dashboard/..%5C..%5Chost.json")]
    [InlineData("/api/dashboard/%2e%2e/%2e%2e/%2e%2e/host.json")]
    [InlineData("/api/dashboard/pages/..%2F..%2F..%2FStoFunctions.dll")]
    [InlineData("/api/dashboard/%2Fetc%2Fpasswd")]
    public async Task APathThatClimbsOutOfTheDashboard_Is404AndServesNoOtherFile(string path)
    {
        using HttpClient client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("functionTimeout", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../host.json")]
    [InlineData("pages/../app.js")]
    [InlineData("/app.js")]
    [InlineData("..\\app.js")]
    [InlineData("PAGES/TOKENS.JS")]
    [InlineData("")]
    public void TheFileSet_AnswersOnlyExactEmbeddedPaths(string path)
    {
        Assert.Null(DashboardFiles.Embedded.Find(path));
    }

    [Fact]
    public async Task ConfigJson_CarriesTheExplorerUrlSetting_WithoutATrailingSlash_AndIsNeverCached()
    {
        using WebApplicationFactory<Program> app = WithExplorer("https://sepolia.etherscan.io/");
        using HttpClient client = app.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/api/dashboard/config.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("{\"explorerUrl\":\"https://sepolia.etherscan.io\"}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("sepolia.etherscan.io")]
    [InlineData("ftp://explorer.example")]
    public async Task ConfigJson_LeavesOutAnExplorerUrlThatIsNotAbsoluteHttp(string setting)
    {
        using WebApplicationFactory<Program> app = WithExplorer(setting);
        using HttpClient client = app.CreateClient();

        Assert.Equal("{\"explorerUrl\":null}", await client.GetStringAsync("/api/dashboard/config.json"));
    }

    private WebApplicationFactory<Program> WithExplorer(string url) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?> { [ServeDashboard.ExplorerUrlSetting] = url })));

    private static string Resolve(string from, string relative)
    {
        var stack = new List<string>(from.Split('/')[..^1]);
        foreach (string segment in relative.Split('/'))
        {
            if (segment == "..")
            {
                stack.RemoveAt(stack.Count - 1);
            }
            else if (segment != ".")
            {
                stack.Add(segment);
            }
        }

        return string.Join('/', stack);
    }

    [GeneratedRegex("""<script\b[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("""\s(on[a-z]+|style)\s*=""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineAttribute();

    [GeneratedRegex("""(?:from|import)\s*['"](\.[^'"]+)['"]""")]
    private static partial Regex ModuleImport();

    [GeneratedRegex(@"(?:src|href)=""([a-z][a-z0-9./-]*\.(?:js|css|svg))""")]
    private static partial Regex IndexReference();
}
