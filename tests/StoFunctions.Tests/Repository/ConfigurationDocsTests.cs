using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Hosting;
using StoFunctions.Testing;
using StoFunctions.Tests.Hosting;

namespace StoFunctions.Tests.Repository;

/// <summary>The committed host.json and local.settings.sample.json: documented key by key, and loadable by the app.</summary>
public sealed partial class ConfigurationDocsTests
{
    private static readonly string s_readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    private static IEnumerable<string> LeafPaths(JsonElement element, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            yield return prefix;
            yield break;
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            foreach (string path in LeafPaths(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}"))
            {
                yield return path;
            }
        }
    }

    private static List<string> Keys(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, file)));
        return LeafPaths(doc.RootElement, "").Where(k => !k.StartsWith('_')).ToList();
    }

    [Theory]
    [InlineData("host.json")]
    [InlineData("local.settings.sample.json")]
    public void Every_key_of_the_file_has_a_row_in_the_readme_configuration_tables(string file)
    {
        List<string> keys = Keys(file);
        Assert.True(keys.Count >= 10, $"{file} has only {keys.Count} keys");
        Assert.All(keys, k => Assert.True(s_readme.Contains($"| `{k}` |", StringComparison.Ordinal), $"README.md has no row for `{k}` of {file}"));
    }

    [Fact]
    public void Every_app_setting_the_infrastructure_sets_is_named_in_the_readme()
    {
        string app = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "modules", "app.bicep"));
        List<string> settings = AppSettingName().Matches(app).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("FunctionKeys__default", settings);
        Assert.All(settings, s => Assert.True(s_readme.Contains($"`{s}`", StringComparison.Ordinal), $"README.md does not name app setting {s}"));
    }

    [Fact]
    public async Task App_started_on_the_committed_files_serves_health_and_accepts_the_sample_dev_key()
    {
        string dir = Directory.CreateTempSubdirectory("sto-files-").FullName;
        try
        {
            File.Copy(Path.Combine(RepoPaths.Root, "host.json"), Path.Combine(dir, "host.json"));
            File.Copy(Path.Combine(RepoPaths.Root, "local.settings.sample.json"), Path.Combine(dir, "local.settings.json"));
            IReadOnlyDictionary<string, string?> values = FunctionsConfiguration.ReadLocalSettings(Path.Combine(dir, "local.settings.json"));
            string functionKey = values["FunctionKeys:default"]!;

            await using WebApplicationFactory<Program> app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
                .UseContentRoot(dir)
                .ConfigureServices(s => s.AddHttpFunctions(StoFunctionsAppFactory.MapTestRoutes)));
            using HttpClient client = app.CreateClient();
            // The sample's storage and node (./dev up) need not run during tests: health then answers 503 and says which.
            using HttpResponseMessage health = await client.GetAsync("/api/health");
            using JsonDocument healthBody = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            string status = healthBody.RootElement.GetProperty("status").GetString()!;
            Assert.Equal(status == "Unhealthy" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK, health.StatusCode);
            Assert.True(healthBody.RootElement.GetProperty("dependencies").TryGetProperty("storage", out _));
            Assert.True(healthBody.RootElement.GetProperty("dependencies").TryGetProperty("chain", out _));
            using HttpResponseMessage withoutKey = await client.GetAsync("/api/test/function");
            Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
            using HttpResponseMessage withKey = await client.GetAsync($"/api/test/function?code={functionKey}");
            Assert.Equal("function ok", await withKey.Content.ReadAsStringAsync());
            Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
            Assert.Equal("31337", values["Ethereum:ChainId"]);
            Assert.Equal("7071", values["Host:LocalHttpPort"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"name: '([A-Za-z_]+)'")]
    private static partial Regex AppSettingName();
}
