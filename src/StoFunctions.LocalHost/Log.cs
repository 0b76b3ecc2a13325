namespace StoFunctions;

/// <summary>The local host's log lines. Keys never appear in a placeholder, only their names.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Configuration read from {Files}")]
    public static partial void ConfigurationFilesLoaded(this ILogger logger, string files);

    [LoggerMessage(2, LogLevel.Warning, "No host.json or local.settings.json in {Directory}; running on defaults and environment variables")]
    public static partial void ConfigurationFilesMissing(this ILogger logger, string directory);

    [LoggerMessage(3, LogLevel.Warning, "No function keys are configured (FunctionKeys__*, AdminKeys__*); every route but anonymous ones answers 401")]
    public static partial void NoFunctionKeys(this ILogger logger);

    [LoggerMessage(400, LogLevel.Warning, "Rejected {Count} request(s) without a valid key since the last such line (at most one per {WindowSeconds} s): {Missing} without a key, {Unknown} with a key that matches no configured key; latest {Method} {Path}")]
    public static partial void KeysRejected(this ILogger logger, long count, int windowSeconds, long missing, long unknown, string method, string path);

    [LoggerMessage(12, LogLevel.Warning, "Rejected {Method} {Path}: admin route called with function key {KeyName}")]
    public static partial void KeyInsufficient(this ILogger logger, string method, string path, string keyName);

    [LoggerMessage(13, LogLevel.Debug, "Accepted {Method} {Path} with key {KeyName}")]
    public static partial void KeyAccepted(this ILogger logger, string method, string path, string keyName);

    [LoggerMessage(20, LogLevel.Information, "Bad request {Method} {Path} ({Status}): {Detail}")]
    public static partial void BadRequest(this ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(21, LogLevel.Error, "Unhandled exception in {Method} {Path} (trace id {TraceId})")]
    public static partial void UnhandledException(this ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(1300, LogLevel.Warning, "Task hub {HubName} could not be created or opened (attempt {Attempt}), retrying: {Reason}")]
    public static partial void TaskHubUnavailable(this ILogger logger, string hubName, int attempt, string reason);

    [LoggerMessage(1301, LogLevel.Information, "Durable task hub {HubName} running {Orchestrators} orchestrator and {Activities} activity function(s)")]
    public static partial void TaskHubStarted(this ILogger logger, string hubName, int orchestrators, int activities);
}
