using Microsoft.Azure.Functions.Worker.Middleware;

namespace StoFunctions.Hosting;

/// <summary>
/// The worker's outermost middleware: an HTTP function that throws answers a 500 problem (design/api.md) with a
/// trace id instead of the host's bare 500, and the exception is logged with that id (no stack trace leaves the
/// app). Other triggers rethrow, so the host's retry and poison handling see the failure.
/// </summary>
public sealed class ProblemDetailsFunctionMiddleware(ILogger<ProblemDetailsFunctionMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <inheritdoc />
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http && !http.RequestAborted.IsCancellationRequested)
        {
            string traceId = Problems.TraceId(http);
            logger.FunctionFailed(ex, context.FunctionDefinition.Name, http.Request.Method, EchoText.Bounded(http.Request.Path.Value ?? "/"), traceId);
            http.Response.Clear();
            await Problems.WriteAsync(http, StatusCodes.Status500InternalServerError,
                $"The function failed unexpectedly; the error is logged with trace id '{traceId}'.").ConfigureAwait(false);
        }
    }
}
