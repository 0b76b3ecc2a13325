namespace StoFunctions;

/// <summary>The scanner's log lines (event ids 1200–1299). Identity names never appear in a placeholder.</summary>
internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Information, "Scanned token {Token} up to block {LastBlock}: {Events} new Transfer events")]
    public static partial void TokenScanned(this ILogger logger, string token, ulong lastBlock, long events);

    [LoggerMessage(1201, LogLevel.Warning, "Scanning token {Token} failed; the next timer run retries from its cursor")]
    public static partial void TokenScanFailed(this ILogger logger, Exception exception, string token);

    [LoggerMessage(1202, LogLevel.Warning, "Scanner command {CommandId} failed")]
    public static partial void ScanJobFailed(this ILogger logger, Exception exception, string commandId);

    [LoggerMessage(1203, LogLevel.Information, "Resuming scanner command {CommandId} interrupted by a restart")]
    public static partial void ScanJobResumed(this ILogger logger, string commandId);

    [LoggerMessage(210, LogLevel.Warning, "A scanner table did not exist (deleted while the app ran); the scanner tables were created again")]
    public static partial void ScannerTablesRecreated(this ILogger logger);
}
