using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace StoFunctions.Hosting;

/// <summary>
/// RFC 9457 problem details (<c>application/problem+json</c>) as the API contract shapes them: <c>type</c>,
/// <c>title</c>, <c>status</c>, <c>detail</c>, <c>errors</c> (field → messages; empty when none) and a
/// <c>traceId</c> that matches the request's log lines.
/// </summary>
public static class Problems
{
    /// <summary>Builds the problem for <paramref name="status"/>.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="detail">What happened, the offending value and how to fix it.</param>
    /// <param name="errors">Field (or <c>row N</c>) → messages.</param>
    /// <param name="traceId">Correlates the response with the logs.</param>
    public static HttpValidationProblemDetails Create(int status, string detail, IDictionary<string, string[]>? errors = null, string? traceId = null)
    {
        var problem = new HttpValidationProblemDetails(errors ?? new Dictionary<string, string[]>())
        {
            Type = TypeFor(status),
            Title = ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
            Status = status,
            Detail = detail,
        };
        if (traceId is not null)
        {
            problem.Extensions["traceId"] = traceId;
        }

        return problem;
    }

    /// <summary>A result for a handler to return, e.g. <c>return Problems.Result(409, "…");</c>.</summary>
    public static IResult Result(int status, string detail, IDictionary<string, string[]>? errors = null) =>
        new ProblemResult(status, detail, errors);

    /// <summary>Writes the problem as the response (which must not have started).</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail, IDictionary<string, string[]>? errors = null) =>
        TypedResults.Problem(Create(status, detail, errors, TraceId(context))).ExecuteAsync(context);

    /// <summary>The id that ties a response to its log lines: the W3C trace id when tracing is on, else the request id.</summary>
    public static string TraceId(HttpContext context) => Activity.Current?.Id ?? context.TraceIdentifier;

    // Defers building the problem to execution, where the request (and so its trace id) is known.
    private sealed class ProblemResult(int status, string detail, IDictionary<string, string[]>? errors) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, detail, errors);
    }

    // The RFC 9110 section of each status, as ASP.NET Core's own problem details use; about:blank otherwise
    // (RFC 9457 §4.2.1: no further semantics beyond the status code).
    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        406 => "https://tools.ietf.org/html/rfc9110#section-15.5.7",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        431 => "https://www.rfc-editor.org/rfc/rfc6585#section-5",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        504 => "https://tools.ietf.org/html/rfc9110#section-15.6.5",
        _ => "about:blank",
    };
}
