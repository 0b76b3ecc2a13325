namespace StoFunctions.Runtime;

/// <summary>
/// The queue trigger's polling delay, as the WebJobs SDK's <c>RandomizedExponentialBackoffStrategy</c>: the
/// minimum after a poll that found work; after the k-th empty poll in a row
/// <c>min + rand(0.8..1.2) × 2^(k-1) × min</c>, capped at the maximum. The jitter keeps many instances from
/// polling in lockstep.
/// </summary>
internal sealed class RandomizedExponentialBackoff
{
    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;
    private readonly Random _random;
    private int _exponent;
    private TimeSpan _current;

    public RandomizedExponentialBackoff(TimeSpan minimum, TimeSpan maximum, Random? random = null)
    {
        if (minimum <= TimeSpan.Zero || maximum < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The backoff needs 0 < minimum ({minimum}) <= maximum.");
        }

        _minimum = minimum;
        _maximum = maximum;
        _random = random ?? Random.Shared;
        _current = minimum;
    }

    /// <summary>The delay before the next poll, given whether the last one found work.</summary>
    public TimeSpan Next(bool foundWork)
    {
        if (foundWork)
        {
            _exponent = 0;
            _current = _minimum;
            return _current;
        }

        if (_current == _maximum)
        {
            return _current;
        }

        TimeSpan delay = _minimum;
        if (_exponent > 0)
        {
            double jitter = 0.8 + (_random.NextDouble() * 0.4);
            delay += TimeSpan.FromMilliseconds(jitter * Math.Pow(2, _exponent - 1) * _minimum.TotalMilliseconds);
        }

        _exponent++;
        _current = delay < _maximum ? delay : _maximum;
        return _current;
    }
}
