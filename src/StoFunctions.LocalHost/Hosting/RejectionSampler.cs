namespace StoFunctions.Hosting;

/// <summary>
/// Counts rejected requests and lets one log line through per window with the count since the previous line.
/// Anyone can send requests without a valid key, so a line per rejection would let them fill the log (and its
/// bill); a count per window keeps the signal (how many, of what kind, the latest route) at a bounded rate.
/// </summary>
public sealed class RejectionSampler(TimeProvider time, TimeSpan window)
{
    private readonly Lock _gate = new();
    private long _missing;
    private long _unknown;
    private long _nextLineAt = long.MinValue;

    /// <summary>The length of one window.</summary>
    public TimeSpan Window => window;

    /// <summary>
    /// Records one rejection (<paramref name="keyMissing"/>: no key at all, else an unknown key). Returns true with
    /// the counts since the last line when a line is due now; false when this one is only counted.
    /// </summary>
    public bool Record(bool keyMissing, out long missing, out long unknown)
    {
        long now = time.GetTimestamp();
        lock (_gate)
        {
            if (keyMissing)
            {
                _missing++;
            }
            else
            {
                _unknown++;
            }

            if (now < _nextLineAt)
            {
                missing = unknown = 0;
                return false;
            }

            missing = _missing;
            unknown = _unknown;
            _missing = _unknown = 0;
            _nextLineAt = now + (long)(window.TotalSeconds * time.TimestampFrequency);
            return true;
        }
    }
}
