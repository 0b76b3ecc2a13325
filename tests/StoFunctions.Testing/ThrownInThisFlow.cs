using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace StoFunctions.Testing;

/// <summary>
/// Records every exception thrown in the async flow that created it, caught or not, until disposed. The handler of
/// <see cref="AppDomain.FirstChanceException"/> runs in the flow that threw, so what tests running beside it throw
/// is not recorded. An exception caught and rethrown at each <c>await</c> is recorded once per rethrow.
/// </summary>
public sealed class ThrownInThisFlow : IDisposable
{
    private static readonly AsyncLocal<ThrownInThisFlow?> s_current = new();
    private readonly ConcurrentQueue<Exception> _thrown = new();

    /// <summary>Starts recording; create it in the test method itself (not in an async helper), so the flow it marks is the test's.</summary>
    public ThrownInThisFlow()
    {
        s_current.Value = this;
        AppDomain.CurrentDomain.FirstChanceException += OnThrown;
    }

    /// <summary>What was thrown so far, as type and message, for an assertion's message.</summary>
    public IReadOnlyList<string> Exceptions => [.. _thrown.Select(e => $"{e.GetType().Name}: {e.Message.Split('\n')[0]}")];

    /// <inheritdoc/>
    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= OnThrown;

    private void OnThrown(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (ReferenceEquals(s_current.Value, this))
        {
            _thrown.Enqueue(e.Exception);
        }
    }
}
