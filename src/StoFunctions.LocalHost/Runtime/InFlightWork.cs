using System.Collections.Concurrent;

namespace StoFunctions.Runtime;

/// <summary>
/// The handler invocations a listener has started: counts them (for <c>newBatchThreshold</c>), and on stop
/// lets them finish within the grace period before cancelling their token. Work items catch their own errors.
/// </summary>
internal sealed class InFlightWork : IDisposable
{
    private static readonly TimeSpan s_afterCancel = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();
    private readonly CancellationTokenSource _handlers = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Run(Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref _count);
        Task task = Task.Run(() => work(_handlers.Token));
        _tasks.TryAdd(task, 0);
        task.ContinueWith(
            done =>
            {
                _tasks.TryRemove(done, out _);
                Interlocked.Decrement(ref _count);
                Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits until at most <paramref name="limit"/> invocations are running.</summary>
    public async Task WaitUntilAtMostAsync(int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed = Volatile.Read(ref _changed).Task;
            if (Count <= limit)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for everything started; after <paramref name="grace"/> cancels the handlers' token and waits a little more.</summary>
    /// <returns>How many invocations were cancelled.</returns>
    public async Task<int> DrainAsync(TimeSpan grace)
    {
        Task all = Task.WhenAll(_tasks.Keys);
        if (await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false) == all)
        {
            return 0;
        }

        int cancelled = Count;
        await _handlers.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(_tasks.Keys), Task.Delay(s_afterCancel)).ConfigureAwait(false);
        return cancelled;
    }

    public void Dispose() => _handlers.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
