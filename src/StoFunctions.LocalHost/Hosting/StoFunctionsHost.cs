using System.Globalization;
using Microsoft.AspNetCore.Http.Timeouts;

namespace StoFunctions.Hosting;

/// <summary>
/// Turns a plain ASP.NET Core app into a host with Azure Functions semantics: configuration from host.json and
/// local.settings.json, <c>http://localhost:7071</c>, function keys, problem details for every error and
/// <c>functionTimeout</c> as the request timeout. HTTP functions join through
/// <see cref="HttpFunctionExtensions.AddHttpFunctions"/>.
/// </summary>
public static class StoFunctionsHost
{
    /// <summary>The Azure Functions Core Tools default port.</summary>
    public const int DefaultPort = 7071;

    private const string RequestUrlLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Reads the Functions files and registers the host's services; call before <c>Build()</c>.</summary>
    public static WebApplicationBuilder AddStoFunctionsHost(this WebApplicationBuilder builder)
    {
        string contentRoot = builder.Environment.ContentRootPath;
        IReadOnlyList<string> files = builder.Configuration.AddFunctionsFiles(contentRoot);
        builder.Services.AddSingleton(new LoadedConfigurationFiles(contentRoot, files));

        // host.json's "logging.logLevel" has the same shape as "Logging:LogLevel", so it filters our logs the
        // way it filters the Functions host's.
        builder.Logging.AddConfiguration(builder.Configuration.GetSection(FunctionsConfiguration.HostSection + ":logging"));

        // ASP.NET Core's "Request starting/finished" lines carry the full URL, query string included, and the
        // query may hold a function key ("code"). Silenced after every other logging rule so no configuration
        // can turn it back on.
        builder.Services.PostConfigure<LoggerFilterOptions>(o =>
            o.Rules.Add(new LoggerFilterRule(null, RequestUrlLogCategory, LogLevel.None, null)));

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) &&
            string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpPortsKey]) &&
            string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpsPortsKey]))
        {
            string port = builder.Configuration["Host:LocalHttpPort"] ?? DefaultPort.ToString(CultureInfo.InvariantCulture);
            builder.WebHost.UseUrls($"http://localhost:{port}");
        }

        builder.WebHost.ConfigureKestrel(RequestSizeLimits.ConfigureKestrel);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSingleton<FunctionKeys>();
        TimeSpan? timeout = FunctionTimeout(builder.Configuration);
        builder.Services.AddRequestTimeouts(o =>
        {
            if (timeout is TimeSpan t)
            {
                o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = t };
            }
        });
        return builder;
    }

    /// <summary>Builds the request pipeline and maps every registered HTTP function under the route prefix.</summary>
    public static WebApplication UseStoFunctionsHost(this WebApplication app)
    {
        LoadedConfigurationFiles loaded = app.Services.GetRequiredService<LoadedConfigurationFiles>();
        if (loaded.Files.Count == 0)
        {
            app.Logger.ConfigurationFilesMissing(loaded.Directory);
        }
        else
        {
            app.Logger.ConfigurationFilesLoaded(string.Join(", ", loaded.Files));
        }

        if (!app.Services.GetRequiredService<FunctionKeys>().AnyConfigured)
        {
            app.Logger.NoFunctionKeys();
        }

        app.UseMiddleware<ProblemDetailsMiddleware>();
        app.UseRouting();
        app.UseRequestTimeouts();
        app.UseMiddleware<FunctionKeyMiddleware>();
        app.MapHttpFunctions();
        return app;
    }

    // Azure Functions accepts "hh:mm:ss" and "-1" (unbounded, dedicated plans only).
    private static TimeSpan? FunctionTimeout(IConfiguration configuration)
    {
        string? text = configuration[FunctionsConfiguration.HostSection + ":functionTimeout"];
        if (string.IsNullOrEmpty(text) || text == "-1")
        {
            return null;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan timeout) && timeout > TimeSpan.Zero)
        {
            return timeout;
        }

        throw new InvalidDataException($"host.json functionTimeout '{text}' is not a positive hh:mm:ss duration or -1. Use e.g. \"00:10:00\".");
    }

    private sealed record LoadedConfigurationFiles(string Directory, IReadOnlyList<string> Files);
}
