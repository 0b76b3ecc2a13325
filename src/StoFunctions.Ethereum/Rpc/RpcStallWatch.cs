using System.Collections.Concurrent;
using System.Diagnostics;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// Tracks a client's outstanding HTTP attempts; a timer reports the first one older than the threshold (one report
/// per stall) and the first answer after it ends the stall. A timeout is not an answer, so retries during one
/// stall stay silent.
/// </summary>
internal sealed class RpcStallWatch : IDisposable
{
    private readonly Uri _endpoint;
    private readonly IRpcStallObserver _observer;
    private readonly TimeSpan _threshold;
    private readonly ConcurrentDictionary<long, (string Method, long Started)> _outstanding = new();
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private long _nextToken;
    private long _stalledSince;

    public RpcStallWatch(Uri endpoint, IRpcStallObserver observer, TimeSpan threshold)
    {
        _endpoint = endpoint;
        _observer = observer;
        _threshold = threshold;
        TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(threshold.TotalMilliseconds / 4, 50, 1000));
        _timer = new Timer(_ => Check(), null, period, period);
    }

    public long Begin(string method)
    {
        long token = Interlocked.Increment(ref _nextToken);
        _outstanding[token] = (method, Stopwatch.GetTimestamp());
        return token;
    }

    /// <summary>Ends an attempt; <paramref name="answered"/> is true when the node sent any HTTP answer.</summary>
    public void End(long token, bool answered)
    {
        _outstanding.TryRemove(token, out (string Method, long Started) call);
        if (!answered)
        {
            return;
        }

        long since;
        lock (_gate)
        {
            since = _stalledSince;
            _stalledSince = 0;
        }

        if (since != 0)
        {
            _observer.Recovered(_endpoint, call.Method ?? "?", Stopwatch.GetElapsedTime(since));
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        foreach ((string method, long started) in _outstanding.Values)
        {
            TimeSpan age = Stopwatch.GetElapsedTime(started);
            if (age < _threshold)
            {
                continue;
            }

            lock (_gate)
            {
                if (_stalledSince != 0)
                {
                    return;
                }

                _stalledSince = started;
            }

            try
            {
                _observer.Stalled(_endpoint, method, age);
            }
            catch (Exception)
            {
                // An observer (a logger) that throws on the timer thread would end the process; the report is lost instead.
            }

            return;
        }
    }
}
