using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// The rig's lane logger: keeps the last lines of every lane in the test process so a lane that does not drain can
/// say what it last did in the failure message (CI keeps nothing else); PIPELINE_TEST_LOG=1 also prints every line.
/// </summary>
internal sealed class RecentLaneLog : ILogger
{
    private const int Kept = 4000;
    private static readonly bool s_print = Environment.GetEnvironmentVariable("PIPELINE_TEST_LOG") == "1";
    private readonly ConcurrentQueue<string> _lines = new();

    public static RecentLaneLog Shared { get; } = new();

    /// <summary>The last <paramref name="count"/> kept lines that mention <paramref name="needle"/> (a lane's partition key).</summary>
    public IEnumerable<string> Last(string needle, int count) =>
        _lines.Where(l => l.Contains(needle, StringComparison.OrdinalIgnoreCase)).TakeLast(count);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {eventId.Id} {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}";
        _lines.Enqueue(line);
        while (_lines.Count > Kept && _lines.TryDequeue(out _))
        {
        }

        if (s_print)
        {
            Console.WriteLine(line);
        }
    }
}
