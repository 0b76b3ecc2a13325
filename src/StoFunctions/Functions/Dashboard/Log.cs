namespace StoFunctions;

/// <summary>The dashboard's log lines (event ids 1400–1419).</summary>
internal static partial class Log
{
    [LoggerMessage(1400, LogLevel.Warning, "The setting {Setting} = '{Value}' is not an absolute http(s) URL; the dashboard shows hashes without explorer links. Set it to the explorer's root, e.g. https://sepolia.etherscan.io")]
    public static partial void ExplorerUrlIgnored(this ILogger logger, string setting, string value);
}
