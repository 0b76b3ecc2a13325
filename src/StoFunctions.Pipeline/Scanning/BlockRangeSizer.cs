namespace StoFunctions.Pipeline.Scanning;

/// <summary>
/// Adaptive range size: doubles while ranges are sparse, shrinks in proportion when they are dense, and halves
/// when the provider refused a range (too many results, range too large, timeout).
/// </summary>
public sealed class BlockRangeSizer
{
    private readonly int _max;
    private readonly int _target;

    /// <summary>Creates a sizer starting at <paramref name="initial"/> blocks.</summary>
    public BlockRangeSizer(int initial, int max, int targetEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initial, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetEvents, 1);
        Size = initial;
        _max = max;
        _target = targetEvents;
    }

    /// <summary>Blocks in the next range.</summary>
    public int Size { get; private set; }

    /// <summary>Learns from a fetched range of <paramref name="blocks"/> blocks holding <paramref name="events"/> events.</summary>
    public void Observe(long blocks, long events, int splits)
    {
        if (splits > 0)
        {
            // The provider refused a range this size: the split halves are what it accepts.
            Size = (int)Math.Max(1, blocks >> Math.Min(splits, 30));
            return;
        }

        if (events > _target)
        {
            Size = (int)Math.Clamp(blocks * _target / events, 1, _max);
        }
        else if (events * 4 < _target && blocks >= Size)
        {
            Size = (int)Math.Min((long)Size * 2, _max);
        }
    }
}
