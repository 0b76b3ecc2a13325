using Microsoft.Azure.Functions.Worker;
namespace StoFunctions.Hosting;

/// <summary>
/// Enforces the <see cref="AuthorizationLevel"/> of the matched endpoint the way Azure Functions does: the key
/// comes from the <c>x-functions-key</c> header or the <c>code</c> query parameter. Runs after routing; an
/// unmatched request passes through (it becomes a 404 problem). Keys are never logged, only their names.
/// </summary>
public sealed class FunctionKeyMiddleware(RequestDelegate next, FunctionKeys keys, ILogger<FunctionKeyMiddleware> logger, TimeProvider? time = null)
{
    /// <summary>At most one log line about rejected keys per this many seconds.</summary>
    public const int RejectionLogSeconds = 10;

    private readonly RejectionSampler _rejections = new(time ?? TimeProvider.System, TimeSpan.FromSeconds(RejectionLogSeconds));

    /// <summary>The request header carrying the key.</summary>
    public const string HeaderName = "x-functions-key";

    /// <summary>The query parameter carrying the key.</summary>
    public const string QueryName = "code";

    /// <summary>Checks the key for the matched endpoint, answering 401/403 problem details on failure.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // No endpoint: the request becomes a 404 problem. An endpoint without any metadata is routing's own
        // rejection endpoint (405 Method Not Allowed); it runs no function code, so it needs no key either.
        Endpoint? endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.Count == 0)
        {
            return next(context);
        }

        AuthorizationLevel required = endpoint.Metadata.GetMetadata<AuthorizationLevelMetadata>()?.Level ?? AuthorizationLevel.Function;
        if (required == AuthorizationLevel.Anonymous)
        {
            return next(context);
        }

        string? presented = context.Request.Headers[HeaderName].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            presented = context.Request.Query[QueryName].FirstOrDefault();
        }

        string path = context.Request.Path.Value ?? "/";
        if (string.IsNullOrEmpty(presented))
        {
            LogRejection(context, path, keyMissing: true);
            string detail = keys.AnyConfigured
                ? $"This route requires {Describe(required)}. Send it in the '{HeaderName}' header or the '{QueryName}' query parameter."
                : $"This route requires {Describe(required)}, but the host has none configured. Set 'FunctionKeys__default' and 'AdminKeys__master' (local.settings.json Values or environment variables).";
            return Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, detail);
        }

        if (keys.Match(presented) is not { } match)
        {
            LogRejection(context, path, keyMissing: false);
            return Problems.WriteAsync(context, StatusCodes.Status401Unauthorized,
                $"The key sent in '{HeaderName}' or '{QueryName}' is not a configured key. Use a function key (or the admin key) of this host.");
        }

        if (required == AuthorizationLevel.Admin && match.Level != AuthorizationLevel.Admin)
        {
            logger.KeyInsufficient(context.Request.Method, path, match.Name);
            return Problems.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"This route requires the admin key; the key sent is the function key '{match.Name}'.");
        }

        logger.KeyAccepted(context.Request.Method, path, match.Name);
        return next(context);
    }

    private void LogRejection(HttpContext context, string path, bool keyMissing)
    {
        if (_rejections.Record(keyMissing, out long missing, out long unknown))
        {
            logger.KeysRejected(missing + unknown, RejectionLogSeconds, missing, unknown, context.Request.Method, EchoText.Bounded(path));
        }
    }

    private static string Describe(AuthorizationLevel level) =>
        level == AuthorizationLevel.Admin ? "the admin key" : "a function key";
}
