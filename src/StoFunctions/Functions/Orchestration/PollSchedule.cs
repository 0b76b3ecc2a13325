using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Orchestration;

/// <summary>
/// When <see cref="CommandOrchestrator"/> reads a command's progress next. Without progress to go by, the wait
/// grows by half from <see cref="First"/> up to <see cref="Longest"/>, so a stuck or slow command costs few reads.
/// While transactions are ending, the next read goes when the rate since the last read says the rest will have
/// ended, but no later than <see cref="First"/> and no sooner than <see cref="Shortest"/>: a step grown to 5 s left a
/// finished 2,000-row distribution waiting up to 5 s to be called Completed, more than its whole run on a dev chain,
/// and one read a second costs a few storage requests against the thousands the command's own rows take. A read
/// costs a page per thousand rows from the first open one, though, so a command with more than
/// <see cref="RowsPerSecond"/> open rows waits up to one second per that many (at most <see cref="Longest"/>): the
/// states of 20,000 rows are 20 requests, and Azurite answered them in ≈ 360 ms of its one thread.
/// </summary>
public static class PollSchedule
{
    /// <summary>The first wait, and the longest while transactions are ending.</summary>
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two reads.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);

    /// <summary>The shortest wait while transactions are ending.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(500);

    /// <summary>Open rows per second of the longest wait while transactions are ending (beyond <see cref="First"/>).</summary>
    public const int RowsPerSecond = 2_000;

    /// <summary>The wait after a read.</summary>
    /// <param name="wait">The wait before this read.</param>
    /// <param name="before">The previous read's counts (null before the first, or when a read failed).</param>
    /// <param name="now">This read's counts (null when it failed).</param>
    public static TimeSpan Next(TimeSpan wait, CommandProgress? before, CommandProgress? now)
    {
        TimeSpan grown = TimeSpan.FromTicks(Math.Min(Longest.Ticks, wait.Ticks * 3 / 2));
        if (before is null || now is null || wait <= TimeSpan.Zero)
        {
            return grown;
        }

        int ended = Ended(now) - Ended(before);
        int open = now.Transactions - Ended(now);
        if (ended <= 0 || open <= 0)
        {
            return grown;
        }

        // open / (ended per wait) waits: the time the rest takes at the rate just seen.
        TimeSpan longest = TimeSpan.FromTicks(Math.Clamp(First.Ticks * open / RowsPerSecond, First.Ticks, Longest.Ticks));
        TimeSpan rest = TimeSpan.FromTicks((long)Math.Min(longest.Ticks, (double)wait.Ticks * open / ended));
        return rest < Shortest ? Shortest : rest;
    }

    private static int Ended(CommandProgress progress) => progress.Confirmed + progress.Failed;
}
