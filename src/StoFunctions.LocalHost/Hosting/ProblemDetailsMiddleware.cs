using System.Text.Json;

namespace StoFunctions.Hosting;

/// <summary>
/// The outermost middleware: every error leaves as problem details. Malformed or unreadable bodies become
/// 400 with the parser's position, unhandled exceptions become 500 without a stack trace (the exception is
/// logged with the trace id), and bodiless error statuses (404, 405, 401 from elsewhere…) get a body.
/// </summary>
public sealed class ProblemDetailsMiddleware(RequestDelegate next, ILogger<ProblemDetailsMiddleware> logger)
{
    /// <summary>Runs the rest of the pipeline and turns its failures into problem details.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (RequestSizeLimits.Check(context) is (int tooLarge, string why))
        {
            logger.BadRequest(context.Request.Method, EchoText.Bounded(context.Request.Path.Value ?? "/"), tooLarge, why);
            await Problems.WriteAsync(context, tooLarge, why).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Minimal APIs throw this for unreadable JSON, a missing body or a wrong content type when
            // RouteHandlerOptions.ThrowOnBadRequest is on (set in StoFunctionsHost), which keeps the reason.
            var errors = new Dictionary<string, string[]>();
            string detail = ex.Message;
            if (ex.InnerException is JsonException json)
            {
                detail = $"{ex.Message} {json.Message}";
                errors[json.Path is { Length: > 0 } p ? p : "body"] = [json.Message];
            }

            logger.BadRequest(context.Request.Method, context.Request.Path.Value ?? "/", ex.StatusCode, detail);
            context.Response.Clear();
            await Problems.WriteAsync(context, ex.StatusCode, detail, errors).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to read a problem.
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            string traceId = Problems.TraceId(context);
            logger.UnhandledException(ex, context.Request.Method, context.Request.Path.Value ?? "/", traceId);
            context.Response.Clear();
            await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError,
                $"The function failed unexpectedly; the error is logged with trace id '{traceId}'.").ConfigureAwait(false);
            return;
        }

        HttpResponse response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && response.ContentType is null)
        {
            await Problems.WriteAsync(context, response.StatusCode, DetailFor(context)).ConfigureAwait(false);
        }
    }

    private static string DetailFor(HttpContext context)
    {
        string method = context.Request.Method;
        string path = EchoText.Bounded(context.Request.Path.Value ?? "/");
        return context.Response.StatusCode switch
        {
            404 => $"No function answers {method} {path}. Check the route (functions live under /api) and the README's endpoint list.",
            405 => $"{path} exists but does not accept {method}.",
            415 => $"{method} {path} expects a JSON body: send 'Content-Type: application/json'.",
            504 => $"{method} {path} ran longer than functionTimeout (host.json) and was cancelled.",
            int status => $"{method} {path} failed with status {status}.",
        };
    }
}
