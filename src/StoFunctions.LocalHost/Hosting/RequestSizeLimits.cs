using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace StoFunctions.Hosting;

/// <summary>
/// The request-line (414) and header-size (431) limits, answered as problem details. Kestrel rejects an
/// oversized request line or header block itself, before any middleware, with an empty body and no hook to
/// shape it; so Kestrel's own limits are raised to a hard ceiling and the limits clients see (Kestrel's
/// defaults, 8 KB and 32 KB) are enforced here, where the answer can be <c>application/problem+json</c>.
/// Only a request beyond the ceiling still gets Kestrel's bare answer.
/// </summary>
public static class RequestSizeLimits
{
    /// <summary>The longest request target (path and query) answered normally: Kestrel's default request-line limit.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>The largest header block (names and values) answered normally: Kestrel's default.</summary>
    public const int MaxHeadersSize = 32 * 1024;

    /// <summary>Kestrel's own request-line limit: beyond it Kestrel answers 414 without a body.</summary>
    public const int KestrelRequestLineCeiling = 64 * 1024;

    /// <summary>Kestrel's own header limit: beyond it Kestrel answers 431 without a body.</summary>
    public const int KestrelHeadersCeiling = 256 * 1024;

    /// <summary>Raises Kestrel's limits to the ceilings, so the limits above are the ones that answer.</summary>
    public static void ConfigureKestrel(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.MaxRequestLineSize = KestrelRequestLineCeiling;
        options.Limits.MaxRequestHeadersTotalSize = KestrelHeadersCeiling;
    }

    /// <summary>The status and detail when <paramref name="context"/>'s request is over a limit, else null.</summary>
    public static (int Status, string Detail)? Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        string target = string.IsNullOrEmpty(raw) ? (context.Request.PathBase + context.Request.Path + context.Request.QueryString).ToString() : raw;
        if (target.Length > MaxTargetLength)
        {
            return (StatusCodes.Status414UriTooLong, $"The request target (path and query) has {target.Length} characters; the limit is {MaxTargetLength}. Send long values in a JSON body instead.");
        }

        // Counted like the header lines on the wire: name, ": ", value, CRLF.
        long size = 0;
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in context.Request.Headers)
        {
            foreach (string? value in header.Value)
            {
                size += header.Key.Length + (value?.Length ?? 0) + 4;
            }
        }

        return size > MaxHeadersSize
            ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"The request headers total {size} bytes; the limit is {MaxHeadersSize}. Remove large or repeated headers (cookies, tokens).")
            : null;
    }
}
