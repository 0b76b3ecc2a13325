namespace StoFunctions;

/// <summary>Every log line of the app. Keys, signatures and investor PII never appear in a placeholder.</summary>
internal static partial class Log
{
    [LoggerMessage(900, LogLevel.Error, "Function {Function} failed on {Method} {Path} (trace id {TraceId})")]
    public static partial void FunctionFailed(this ILogger logger, Exception exception, string function, string method, string path, string traceId);

    [LoggerMessage(40, LogLevel.Warning, "Platform storage not reachable yet (attempt {Attempt}): {Reason}; retrying")]
    public static partial void PlatformStorageUnavailable(this ILogger logger, int attempt, string reason);

    [LoggerMessage(41, LogLevel.Warning, "LaneKeeper: the commands and ledger tables were missing and are created again")]
    public static partial void TablesRecreated(this ILogger logger);
}
