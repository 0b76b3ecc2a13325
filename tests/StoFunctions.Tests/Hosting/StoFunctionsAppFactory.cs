using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Hosting;

namespace StoFunctions.Tests.Hosting;

/// <summary>
/// The real app (<c>Program</c>) in memory, with known keys and a few routes registered by the tests through
/// the app's own <see cref="HttpFunctionExtensions.AddHttpFunctions"/> seam.
/// </summary>
public sealed class StoFunctionsAppFactory : WebApplicationFactory<Program>
{
    public const string FunctionKey = "test-function-key-3b9f1c";
    public const string AdminKey = "test-admin-key-8d2e7a";

    private readonly bool _withKeys;

    public StoFunctionsAppFactory() : this(withKeys: true)
    {
    }

    internal StoFunctionsAppFactory(bool withKeys) => _withKeys = withKeys;

    /// <summary>The body the test echo route reads and returns.</summary>
    public sealed record EchoRequest(string Name, int Count);

    /// <summary>Maps the test-only routes under the route prefix.</summary>
    public static void MapTestRoutes(IEndpointRouteBuilder api)
    {
        api.MapGet("test/function", () => "function ok");
        api.MapGet("test/admin", () => "admin ok").WithAuthorizationLevel(AuthorizationLevel.Admin);
        api.MapGet("test/anonymous", () => "anonymous ok").WithAuthorizationLevel(AuthorizationLevel.Anonymous);
        api.MapPost("test/echo", (EchoRequest request) => request);
        api.MapGet("test/throw", string () => throw new InvalidOperationException("internal secret 0xdeadbeef"));
        api.MapGet("test/conflict", () => Problems.Result(StatusCodes.Status409Conflict, "Idempotency key 'k1' was used with another body.",
            new Dictionary<string, string[]> { ["idempotencyKey"] = ["used with another body"] }));
        api.MapGet("test/slow", async (HttpContext context) =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return "never";
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(config =>
        {
            if (_withKeys)
            {
                config.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["FunctionKeys:default"] = FunctionKey,
                    ["AdminKeys:master"] = AdminKey,
                });
            }
        });
        builder.ConfigureServices(services => services.AddHttpFunctions(MapTestRoutes));
    }
}
