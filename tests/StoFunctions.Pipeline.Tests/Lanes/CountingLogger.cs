using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>A logger that keeps every line (level, event id, text) so a test can count what a lane logged.</summary>
internal sealed class CountingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Text)> Lines => [.. _lines];

    public int Count => _lines.Count;

    public int CountOf(int eventId) => _lines.Count(l => l.EventId == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string text = formatter(state, exception);
        _lines.Enqueue((logLevel, eventId.Id, text));
        if (Environment.GetEnvironmentVariable("PIPELINE_TEST_LOG") == "1")
        {
            Console.WriteLine($"{logLevel} {eventId.Id} {text}");
        }
    }
}
