using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// A logger that keeps its lines (time, level, event id, text) so a test can count what a lane logged, or, bounded
/// to the last <c>kept</c> lines, so a lane that does not drain can say what it last did in the failure message
/// (the rig's shared logger; CI keeps nothing else). PIPELINE_TEST_LOG=1 also prints every line.
/// </summary>
internal sealed class CountingLogger(int? kept = null) : ILogger
{
    private static readonly bool s_print = Environment.GetEnvironmentVariable("PIPELINE_TEST_LOG") == "1";
    private readonly ConcurrentQueue<(DateTime Time, LogLevel Level, int EventId, string Text)> _lines = new();

    public IReadOnlyList<(DateTime Time, LogLevel Level, int EventId, string Text)> Lines => [.. _lines];

    public int Count => _lines.Count;

    public int CountOf(int eventId) => _lines.Count(l => l.EventId == eventId);

    /// <summary>The last <paramref name="count"/> kept lines that mention <paramref name="needle"/> (a lane's partition key), one string each.</summary>
    public IEnumerable<string> Last(string needle, int count) =>
        _lines.Where(l => l.Text.Contains(needle, StringComparison.OrdinalIgnoreCase)).TakeLast(count).Select(Format);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = (DateTime.UtcNow, logLevel, eventId.Id, formatter(state, exception) + (exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message));
        _lines.Enqueue(line);
        while (kept is int bound && _lines.Count > bound && _lines.TryDequeue(out _))
        {
        }

        if (s_print)
        {
            Console.WriteLine(Format(line));
        }
    }

    private static string Format((DateTime Time, LogLevel Level, int EventId, string Text) line) =>
        $"{line.Time:HH:mm:ss.fff} {line.Level} {line.EventId} {line.Text}";
}
