using System.Net;
using System.Text;
using System.Text.Json;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Dashboard;

/// <summary>
/// <c>GET /api/dashboard</c> and <c>GET /api/dashboard/{*path}</c>, anonymous: the web dashboard's static files
/// (<see cref="DashboardFiles"/>). The page itself holds no data and no key: it calls the public API with the
/// function key the user types, so serving it anonymously gives nothing away. <c>config.json</c> is generated
/// from the <c>Dashboard:ExplorerUrl</c> setting (the chain explorer the page links hashes and addresses to).
/// </summary>
public static class ServeDashboard
{
    /// <summary>
    /// Scripts and styles only from the app's own origin (no inline script or style attribute), API calls only
    /// to the same origin, never framed: an injected string in an API answer cannot run as script.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The setting naming the chain explorer, e.g. <c>https://sepolia.etherscan.io</c> (links <c>/tx/{hash}</c>, <c>/address/{address}</c>).</summary>
    public const string ExplorerUrlSetting = "Dashboard:ExplorerUrl";

    private const string IndexPath = "index.html";

    private const string ConfigPath = "config.json";

    // The page asks for config.json on every load: one warning per process is enough to be seen.
    private static int s_explorerWarned;

    /// <summary><c>GET /api/dashboard</c>: the page.</summary>
    [Function("Dashboard")]
    public static IResult Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        Serve(request, "");

    /// <summary><c>GET /api/dashboard/{*path}</c>: the page's scripts, styles and icon (404 problem details for any other path).</summary>
    [Function("DashboardFile")]
    public static IResult DashboardFile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*path}")] HttpRequest request, string? path) =>
        Serve(request, path ?? "");

    private static IResult Serve(HttpRequest request, string path)
    {
        HttpResponse response = request.HttpContext.Response;
        if (path is "" or IndexPath)
        {
            SetHeaders(response, "no-cache");
            return Results.Text(Index(request, path), "text/html; charset=utf-8", Encoding.UTF8);
        }

        if (path == ConfigPath)
        {
            SetHeaders(response, "no-store");
            return Results.Text(Config(request.HttpContext.RequestServices), "application/json; charset=utf-8", Encoding.UTF8);
        }

        if (DashboardFiles.Embedded.Find(path) is not { } file || path == IndexPath)
        {
            return Problems.Result(404, $"The dashboard has no file '{EchoText.Bounded(path)}'. Open the dashboard at its root (GET /api/dashboard) and follow its links.");
        }

        // Not fingerprinted, so every use revalidates (a redeploy shows at once); an unchanged file costs a 304.
        SetHeaders(response, "no-cache");
        response.Headers.ETag = file.ETag;
        if (request.Headers.IfNoneMatch.Any(tag => tag == file.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(file.Content, file.ContentType);
    }

    private static void SetHeaders(HttpResponse response, string cacheControl)
    {
        response.Headers.CacheControl = cacheControl;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    // The page's relative links resolve against <base href>, the dashboard's own root as this request reached
    // it ("/api/dashboard" and "/api/dashboard/" alike), so the route prefix or a proxy's path never matters.
    private static string Index(HttpRequest request, string path)
    {
        string full = request.PathBase.Add(request.Path).Value ?? "/";
        string root = full.EndsWith(path, StringComparison.Ordinal) ? full[..^path.Length] : full;
        root = root.TrimEnd('/') + "/";
        string template = Encoding.UTF8.GetString(DashboardFiles.Embedded.Find(IndexPath)!.Content);
        return template.Replace("{{base}}", WebUtility.HtmlEncode(root), StringComparison.Ordinal);
    }

    private static string Config(IServiceProvider services)
    {
        string? setting = services.GetRequiredService<IConfiguration>()[ExplorerUrlSetting];
        string? explorer = null;
        if (!string.IsNullOrWhiteSpace(setting))
        {
            if (Uri.TryCreate(setting, UriKind.Absolute, out Uri? uri) && uri.Scheme is "https" or "http")
            {
                explorer = setting.TrimEnd('/');
            }
            else if (Interlocked.Exchange(ref s_explorerWarned, 1) == 0)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServeDashboard)).ExplorerUrlIgnored(ExplorerUrlSetting, EchoText.Bounded(setting));
            }
        }

        return JsonSerializer.Serialize(new { explorerUrl = explorer });
    }
}
