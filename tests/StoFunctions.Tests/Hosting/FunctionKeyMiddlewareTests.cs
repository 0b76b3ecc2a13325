using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StoFunctions.Tests.Hosting;

public sealed class FunctionKeyMiddlewareTests(StoFunctionsAppFactory factory) : IClassFixture<StoFunctionsAppFactory>
{
    [Fact]
    public async Task Request_without_key_to_a_function_route_is_401_problem_details()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/api/test/function");
        var problem = await response.AssertProblemAsync(401);
        Assert.Contains("x-functions-key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_with_the_function_key_header_reaches_the_function()
    {
        using HttpClient client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", StoFunctionsAppFactory.FunctionKey);
        using HttpResponseMessage response = await client.GetAsync("/api/test/function");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("function ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_with_the_function_key_in_the_code_query_reaches_the_function()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync($"/api/test/function?code={StoFunctionsAppFactory.FunctionKey}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("test-function-key-3b9f1")]
    [InlineData("test-function-key-3b9f1c ")]
    public async Task Request_with_a_key_that_differs_from_every_configured_key_is_401_problem_details(string key)
    {
        using HttpClient client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", key);
        using HttpResponseMessage response = await client.GetAsync("/api/test/function");
        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Admin_route_with_the_function_key_is_403_problem_details_naming_the_key()
    {
        using HttpClient client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", StoFunctionsAppFactory.FunctionKey);
        using HttpResponseMessage response = await client.GetAsync("/api/test/admin");
        var problem = await response.AssertProblemAsync(403);
        Assert.Equal("This route requires the admin key; the key sent is the function key 'default'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Admin_route_with_the_admin_key_succeeds()
    {
        using HttpClient client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", StoFunctionsAppFactory.AdminKey);
        using HttpResponseMessage response = await client.GetAsync("/api/test/admin");
        Assert.Equal("admin ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Function_route_accepts_the_admin_key()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync($"/api/test/function?code={StoFunctionsAppFactory.AdminKey}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_route_needs_no_key()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/api/test/anonymous");
        Assert.Equal("anonymous ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Host_without_configured_keys_answers_401_with_how_to_configure_them()
    {
        await using var bare = new StoFunctionsAppFactory(withKeys: false);
        using HttpClient client = bare.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", StoFunctionsAppFactory.FunctionKey);
        using HttpResponseMessage withKey = await client.GetAsync("/api/test/function");
        await withKey.AssertProblemAsync(401);
        client.DefaultRequestHeaders.Clear();
        using HttpResponseMessage withoutKey = await client.GetAsync("/api/test/function");
        var problem = await withoutKey.AssertProblemAsync(401);
        Assert.Contains("FunctionKeys__default", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_never_appear_in_log_lines_whether_accepted_or_rejected()
    {
        var lines = new ConcurrentQueue<string>();
        await using WebApplicationFactory<Program> logged = factory.WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Debug")
            .ConfigureServices(s =>
            {
                s.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(lines));
                s.AddLogging(l => l.SetMinimumLevel(LogLevel.Debug));
            }));
        using HttpClient client = logged.CreateClient();
        const string wrongKey = "wrong-key-5f0e9d";
        foreach (string url in (string[])[
            $"/api/test/function?code={StoFunctionsAppFactory.FunctionKey}",
            $"/api/test/admin?code={StoFunctionsAppFactory.FunctionKey}",
            $"/api/test/admin?code={StoFunctionsAppFactory.AdminKey}",
            $"/api/test/function?code={wrongKey}",
            $"/api/test/throw?code={StoFunctionsAppFactory.AdminKey}"])
        {
            using HttpResponseMessage response = await client.GetAsync(url);
        }

        Assert.Contains(lines, l => l.Contains("Accepted GET /api/test/function with key default", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("with a key that matches no configured key; latest GET /api/test/function", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(StoFunctionsAppFactory.FunctionKey, StringComparison.Ordinal)
            || l.Contains(StoFunctionsAppFactory.AdminKey, StringComparison.Ordinal)
            || l.Contains(wrongKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FiftyRejectedKeysWithinTenSeconds_LogOneLine_AndTheNextWindowReportsTheRestWithTheirCount()
    {
        var lines = new ConcurrentQueue<string>();
        var time = new ManualTime();
        await using WebApplicationFactory<Program> logged = factory.WithWebHostBuilder(b => b
            .ConfigureServices(s =>
            {
                s.AddSingleton<TimeProvider>(time);
                s.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(lines));
            }));
        using HttpClient client = logged.CreateClient();
        for (int i = 0; i < 50; i++)
        {
            using HttpResponseMessage response = await client.GetAsync(i % 2 == 0 ? "/api/test/function?code=wrong" : "/api/test/function");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Single(lines, l => l.StartsWith("Rejected ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Rejected 1 request(s) without a valid key", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromSeconds(11));
        using (HttpResponseMessage response = await client.GetAsync("/api/test/function?code=wrong"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(2, lines.Count(l => l.StartsWith("Rejected ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("Rejected 50 request(s) without a valid key", StringComparison.Ordinal) && l.Contains("25 without a key, 25 with a key that matches no configured key", StringComparison.Ordinal));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(lines);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
