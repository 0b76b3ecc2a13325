namespace StoFunctions;

/// <summary>Every log line of the app. Keys, signatures and investor PII never appear in a placeholder.</summary>
internal static partial class Log
{
    [LoggerMessage(900, LogLevel.Error, "Function {Function} failed on {Method} {Path} (trace id {TraceId})")]
    public static partial void FunctionFailed(this ILogger logger, Exception exception, string function, string method, string path, string traceId);

    [LoggerMessage(40, LogLevel.Warning, "Platform storage not reachable yet (attempt {Attempt}): {Reason}; retrying before the lanes start")]
    public static partial void PlatformStorageUnavailable(this ILogger logger, int attempt, string reason);
}
