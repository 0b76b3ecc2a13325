using System.Diagnostics;
using System.Globalization;

namespace StoFunctions.Benchmarks.Api;

/// <summary>
/// CPU time used so far by each process of a scenario's stack: the host, Azurite, anvil (each with its descendants)
/// and this client. On a 2-core machine they share the same cores, so where a scenario is CPU-bound the sum per
/// transaction bounds its rate: 2,000 ms per second over that sum. Read from <c>/proc</c>; null off Linux.
/// </summary>
/// <param name="Host">The host process.</param>
/// <param name="Azurite">Azurite.</param>
/// <param name="Anvil">The node.</param>
/// <param name="Client">This benchmark's own process (its HTTP clients).</param>
public sealed record CpuSample(TimeSpan Host, TimeSpan Azurite, TimeSpan Anvil, TimeSpan Client)
{
    // /proc reports times in clock ticks of USER_HZ, which Linux fixes at 100 per second for user space.
    private const double TicksPerSecond = 100;

    /// <summary>
    /// The CPU time of the processes <paramref name="host"/>, <paramref name="azurite"/> and <paramref name="anvil"/> (and
    /// their descendants) and of this process; null off Linux. A process id of 0 is a process the scenario does not
    /// have (the chain floors run no host and no Azurite): its time is zero.
    /// </summary>
    public static CpuSample? Take(int host, int azurite, int anvil)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Dictionary<int, (int Parent, long Ticks)> all = ReadAll();
        return new CpuSample(Tree(all, host), Tree(all, azurite), Tree(all, anvil), Process.GetCurrentProcess().TotalProcessorTime);
    }

    /// <summary>The CPU time used between <paramref name="earlier"/> and this sample.</summary>
    public CpuSample Since(CpuSample earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new CpuSample(Host - earlier.Host, Azurite - earlier.Azurite, Anvil - earlier.Anvil, Client - earlier.Client);
    }

    /// <summary>The CPU time used between <paramref name="start"/> and <paramref name="end"/>; null when either is (off Linux).</summary>
    public static CpuSample? Between(CpuSample? start, CpuSample? end) => start is null || end is null ? null : end.Since(start);

    /// <summary>The CPU time of all four.</summary>
    public TimeSpan Total => Host + Azurite + Anvil + Client;

    private static TimeSpan Tree(Dictionary<int, (int Parent, long Ticks)> all, int root)
    {
        long ticks = 0;
        foreach ((int pid, (int _, long own)) in all)
        {
            // A process counts when the root is among its ancestors (or is it).
            for (int p = pid; p > 1 && all.TryGetValue(p, out var entry); p = entry.Parent)
            {
                if (p == root)
                {
                    ticks += own;
                    break;
                }
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static Dictionary<int, (int Parent, long Ticks)> ReadAll()
    {
        var all = new Dictionary<int, (int, long)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid … utime stime cutime cstime: the name may hold spaces, so fields count from its ')'.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
            all[pid] = ((int)Field(4), Field(14) + Field(15) + Field(16) + Field(17));
        }

        return all;
    }
}
