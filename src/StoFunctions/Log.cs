namespace StoFunctions;

/// <summary>Every log line of the app. Keys, signatures and investor PII never appear in a placeholder.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Configuration read from {Files}")]
    public static partial void ConfigurationFilesLoaded(this ILogger logger, string files);

    [LoggerMessage(2, LogLevel.Warning, "No host.json or local.settings.json in {Directory}; running on defaults and environment variables")]
    public static partial void ConfigurationFilesMissing(this ILogger logger, string directory);

    [LoggerMessage(3, LogLevel.Warning, "No function keys are configured (FunctionKeys__*, AdminKeys__*); every route but anonymous ones answers 401")]
    public static partial void NoFunctionKeys(this ILogger logger);

    [LoggerMessage(10, LogLevel.Information, "Rejected {Method} {Path}: no function key")]
    public static partial void KeyMissing(this ILogger logger, string method, string path);

    [LoggerMessage(11, LogLevel.Warning, "Rejected {Method} {Path}: the key matches no configured key")]
    public static partial void KeyRejected(this ILogger logger, string method, string path);

    [LoggerMessage(12, LogLevel.Warning, "Rejected {Method} {Path}: admin route called with function key {KeyName}")]
    public static partial void KeyInsufficient(this ILogger logger, string method, string path, string keyName);

    [LoggerMessage(13, LogLevel.Debug, "Accepted {Method} {Path} with key {KeyName}")]
    public static partial void KeyAccepted(this ILogger logger, string method, string path, string keyName);

    [LoggerMessage(20, LogLevel.Information, "Bad request {Method} {Path} ({Status}): {Detail}")]
    public static partial void BadRequest(this ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(21, LogLevel.Error, "Unhandled exception in {Method} {Path} (trace id {TraceId})")]
    public static partial void UnhandledException(this ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(40, LogLevel.Warning, "Platform storage not reachable yet (attempt {Attempt}): {Reason}; retrying before the lanes start")]
    public static partial void PlatformStorageUnavailable(this ILogger logger, int attempt, string reason);
}
