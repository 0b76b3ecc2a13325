namespace StoFunctions;

/// <summary>The distribution files read's log lines (event ids 1440–1449).</summary>
internal static partial class Log
{
    [LoggerMessage(1440, LogLevel.Warning, "The distribution report {Blob} is not a report's JSON ({Reason}); its file is listed as Pending. Delete the report and upload the file again to have it validated anew")]
    public static partial void DistributionReportUnreadable(this ILogger logger, string blob, string reason);
}
