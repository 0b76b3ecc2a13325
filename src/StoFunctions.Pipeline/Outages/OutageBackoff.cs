using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StoFunctions.Pipeline.Outages;

/// <summary>
/// The failure policy of one background loop (a lane, a listener, a timer): after a failure it returns a bounded
/// exponential delay with jitter, and it logs an outage once — the first failure with its exception, a reminder
/// every <see cref="ReminderInterval"/> while it lasts, and one "recovered" line when the loop succeeds again — so a
/// storage outage costs a few log lines instead of one per poll. Not thread-safe: one instance per loop.
/// </summary>
public sealed class OutageBackoff
{
    /// <summary>How often a long outage is logged again.</summary>
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromMinutes(5);

    private readonly string _loop;
    private readonly ILogger _logger;
    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;
    private readonly Random _random;
    private long _since;
    private long _reminded;

    /// <summary>Creates the policy.</summary>
    /// <param name="loop">Names the loop in log lines, e.g. <c>lane 31337-0xf39f…</c>.</param>
    /// <param name="logger">Where the outage lines go.</param>
    /// <param name="minimum">The delay after the first failure (before jitter).</param>
    /// <param name="maximum">The longest delay: the loop tries at least this often, so it resumes within it once the dependency is back.</param>
    /// <param name="random">Jitter source (tests).</param>
    public OutageBackoff(string loop, ILogger logger, TimeSpan minimum, TimeSpan maximum, Random? random = null)
    {
        if (minimum <= TimeSpan.Zero || maximum < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The backoff of {loop} needs 0 < minimum ({minimum}) <= maximum.");
        }

        _loop = loop;
        _logger = logger;
        _minimum = minimum;
        _maximum = maximum;
        _random = random ?? Random.Shared;
    }

    /// <summary>Consecutive failures since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>True between a failure and the next success.</summary>
    public bool InOutage => Failures > 0;

    /// <summary>
    /// Records a failure and returns how long to wait before the next attempt: <c>minimum × 2^(n−1)</c> capped at the
    /// maximum, then scaled by a random factor in [0.5, 1] so instances that failed together do not retry together.
    /// </summary>
    public TimeSpan Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Failures++;
        double exponential = _minimum.TotalMilliseconds * Math.Pow(2, Math.Min(Failures - 1, 30));
        TimeSpan delay = TimeSpan.FromMilliseconds(Math.Min(exponential, _maximum.TotalMilliseconds) * (0.5 + (_random.NextDouble() * 0.5)));
        if (Failures == 1)
        {
            _since = _reminded = Stopwatch.GetTimestamp();
            Log.OutageStarted(_logger, _loop, DependencyFailure.Describe(exception), exception);
        }
        else if (Stopwatch.GetElapsedTime(_reminded) >= ReminderInterval)
        {
            _reminded = Stopwatch.GetTimestamp();
            Log.OutageContinues(_logger, _loop, Failures, Stopwatch.GetElapsedTime(_since), DependencyFailure.Describe(exception));
        }
        else
        {
            Log.OutageRetry(_logger, _loop, Failures, DependencyFailure.Describe(exception), delay);
        }

        return delay;
    }

    /// <summary>Records a success; logs the recovery if the loop was failing.</summary>
    public void Succeeded()
    {
        if (Failures == 0)
        {
            return;
        }

        Log.OutageEnded(_logger, _loop, Failures, Stopwatch.GetElapsedTime(_since));
        Failures = 0;
    }
}
