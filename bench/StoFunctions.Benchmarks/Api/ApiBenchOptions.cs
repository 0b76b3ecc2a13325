namespace StoFunctions.Benchmarks.Api;

/// <summary>What <see cref="ApiBench"/> measures, and how often.</summary>
public sealed class ApiBenchOptions
{
    /// <summary>Rows of the distribution (JSON and CSV) and transfers of the floors (issue 20: 2,000).</summary>
    public int Rows { get; set; } = 2000;

    /// <summary>
    /// Rows of one large JSON distribution whose POST is measured per row (issue 20: 20,000, at most 0.5 ms per row);
    /// 0 leaves the scenario out. This host only: a baseline before large inputs refuses more than 5,000 rows.
    /// </summary>
    public int LargeRows { get; set; } = 20_000;

    /// <summary>Concurrent single transfers (issue 20: 1,000).</summary>
    public int Transfers { get; set; } = 1000;

    /// <summary>Clients posting the single transfers at once (issue 20: 50).</summary>
    public int Clients { get; set; } = 50;

    /// <summary>Transfer events to scan (issue 20: at least 50,000); a multiple of 1,000 (one spam call each).</summary>
    public int Events { get; set; } = 50_000;

    /// <summary>Repetitions; every figure printed is the median.</summary>
    public int Reps { get; set; } = 3;

    /// <summary>
    /// Floor A keeps at most this many transactions unmined (0: sends everything at once). 200 by default: with all
    /// 2,000 pooled at once anvil's automine stalled in most runs here (the pool held the rest, pending), while a
    /// window of 200 never stalled and was as fast or faster (2.0-3.2 s against 3.1 s with the stall left out).
    /// </summary>
    public int FloorWindow { get; set; } = 200;

    /// <summary>
    /// Single transfers each host serves, to recipients and external ids of their own, and waits to see Completed
    /// before a scenario's clock starts (0: none, the host measured as it comes up). A host just started JIT-compiles
    /// its hot paths to their final tier while it works: a fifth of its CPU during the first 3,000 transfers here
    /// went to the JIT; a service in use has done that long ago.
    /// </summary>
    public int Warmup { get; set; }

    /// <summary>Only the floors and the peer (to check the client on a machine before a full run).</summary>
    public bool FloorsOnly { get; set; }

    /// <summary>Only the scan and cap-table scenario.</summary>
    public bool ScanOnly { get; set; }

    /// <summary>Everything but the scan and cap-table scenario (the distribution and transfer scenarios with their floors).</summary>
    public bool NoScan { get; set; }

    /// <summary>
    /// Publish each host ReadyToRun before measuring it (<see cref="HostBuild.ReadyToRunAsync"/>), as the Function App
    /// is deployed; false (<c>--jit</c>) runs the plain build, whose fresh processes measure the JIT's warm-up too.
    /// </summary>
    public bool ReadyToRun { get; set; } = true;

    /// <summary>A second host build measured with the same distribution and transfer scenarios, or null.</summary>
    public HostBuild? Baseline { get; set; }

    /// <summary>Parses <c>[--reps N] [--rows N] [--large-rows N] [--transfers N] [--clients N] [--events N] [--jit] [--baseline-dir DIR] [--quick]</c>.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad number; the message shows the usage.</exception>
    public static ApiBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ApiBenchOptions();
        if (args.Contains("--quick"))
        {
            options.Rows = 200;
            options.LargeRows = 0;
            options.Transfers = 100;
            options.Events = 5_000;
            options.Reps = 1;
        }

        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--reps":
                    options.Reps = Number(args, ++i, 1);
                    break;
                case "--rows":
                    options.Rows = Number(args, ++i, 1);
                    break;
                case "--large-rows":
                    options.LargeRows = Number(args, ++i, 0);
                    break;
                case "--transfers":
                    options.Transfers = Number(args, ++i, 1);
                    break;
                case "--clients":
                    options.Clients = Number(args, ++i, 1);
                    break;
                case "--events":
                    options.Events = Number(args, ++i, 1000) / 1000 * 1000;
                    break;
                case "--scan-only":
                    options.ScanOnly = true;
                    break;
                case "--no-scan":
                    options.NoScan = true;
                    break;
                case "--jit":
                    options.ReadyToRun = false;
                    break;
                case "--floors-only":
                    options.FloorsOnly = true;
                    break;
                case "--floor-window":
                    options.FloorWindow = Number(args, ++i, 0);
                    break;
                case "--warmup":
                    options.Warmup = Number(args, ++i, 0);
                    break;
                case "--baseline-dir":
                    options.Baseline = HostBuild.Baseline(i + 1 < args.Count ? args[++i] : throw new ArgumentException("--baseline-dir needs a directory. " + Usage));
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'. {Usage}");
            }
        }

        return options;
    }

    /// <summary>The option summary printed with every parse error.</summary>
    public const string Usage = "Usage: api [--reps 3] [--rows 2000] [--large-rows 20000 (0: off)] [--transfers 1000] [--clients 50] [--events 50000] [--floor-window 200] [--warmup 0] [--floors-only] [--scan-only] [--no-scan] [--jit] [--baseline-dir DIR] [--quick]";

    private static int Number(IReadOnlyList<string> args, int i, int minimum) =>
        i < args.Count && int.TryParse(args[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= minimum
            ? n
            : throw new ArgumentException($"{args[i - 1]} needs a whole number of at least {minimum}, got '{(i < args.Count ? args[i] : "")}'. {Usage}");
}
