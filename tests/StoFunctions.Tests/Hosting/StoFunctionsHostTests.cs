using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StoFunctions.Hosting;

namespace StoFunctions.Tests.Hosting;

/// <summary>The app started with a content root holding its own host.json and local.settings.json.</summary>
public sealed class StoFunctionsHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sto-host-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private WebApplicationFactory<Program> Start(string hostJson, string localSettings)
    {
        File.WriteAllText(Path.Combine(_dir, "host.json"), hostJson);
        File.WriteAllText(Path.Combine(_dir, "local.settings.json"), localSettings);
        return new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseContentRoot(_dir);
            b.ConfigureServices(s => s.AddHttpFunctions(StoFunctionsAppFactory.MapTestRoutes));
        });
    }

    [Fact]
    public async Task Route_prefix_and_keys_come_from_the_files_in_the_content_root()
    {
        await using WebApplicationFactory<Program> app = Start(
            """{ "version": "2.0", "extensions": { "http": { "routePrefix": "v1" } } }""",
            """{ "IsEncrypted": false, "Values": { "FunctionKeys__ci": "key-from-local-settings-1" } }""");
        using HttpClient client = app.CreateClient();

        using HttpResponseMessage health = await client.GetAsync("/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using HttpResponseMessage oldPrefix = await client.GetAsync("/api/health");
        await oldPrefix.AssertProblemAsync(404);
        using HttpResponseMessage keyed = await client.GetAsync("/v1/test/function?code=key-from-local-settings-1");
        Assert.Equal("function ok", await keyed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Function_timeout_from_host_json_cancels_a_slow_function_with_504_problem_details()
    {
        await using WebApplicationFactory<Program> app = Start(
            """{ "version": "2.0", "functionTimeout": "00:00:01" }""",
            """{ "Values": { "FunctionKeys__default": "k-0123456789" } }""");
        using HttpClient client = app.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/api/test/slow?code=k-0123456789");
        var problem = await response.AssertProblemAsync(504);
        Assert.Contains("functionTimeout", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Debug", LogLevel.Debug, true)]
    [InlineData("Warning", LogLevel.Information, false)]
    [InlineData("Warning", LogLevel.Warning, true)]
    public async Task Log_levels_come_from_host_json_logging(string configured, LogLevel probe, bool enabled)
    {
        await using WebApplicationFactory<Program> app = Start(
            $$"""{ "version": "2.0", "logging": { "logLevel": { "default": "Error", "StoFunctions": "{{configured}}" } } }""",
            """{ "Values": {} }""");
        ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
        Assert.Equal(enabled, loggers.CreateLogger("StoFunctions.Hosting.FunctionKeyMiddleware").IsEnabled(probe));
        Assert.False(loggers.CreateLogger("Other.Component").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void Invalid_function_timeout_stops_startup_with_the_value_and_an_example()
    {
        using WebApplicationFactory<Program> app = Start("""{ "functionTimeout": "ten minutes" }""", """{ "Values": {} }""");
        var ex = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        InvalidDataException inner = Assert.IsType<InvalidDataException>(ex is InvalidDataException ? ex : ex.GetBaseException());
        Assert.Contains("'ten minutes'", inner.Message, StringComparison.Ordinal);
        Assert.Contains("00:10:00", inner.Message, StringComparison.Ordinal);
    }
}
