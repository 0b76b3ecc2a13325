namespace StoFunctions.Pipeline.Faults;

/// <summary>
/// The crash-point switch. Disabled in production (<see cref="None"/>). Armed by the environment variable
/// <c>FAULT_CRASH_AT=&lt;point&gt;[:&lt;hits&gt;]</c> (the process dies with <see cref="Environment.FailFast(string)"/>
/// on the given hit, default the first) or programmatically for in-process tests, where it throws
/// <see cref="SimulatedCrashException"/> instead.
/// </summary>
public sealed class FaultInjector
{
    private readonly Action<string> _crash;
    private string? _point;
    private int _remaining;

    /// <summary>Creates an injector that calls <paramref name="crash"/> when the armed point is reached.</summary>
    public FaultInjector(Action<string> crash)
    {
        _crash = crash;
    }

    /// <summary>An injector that never fires.</summary>
    public static FaultInjector None { get; } = new(_ => { });

    /// <summary>The armed point, if any.</summary>
    public string? ArmedPoint => Volatile.Read(ref _point);

    /// <summary>
    /// Reads <c>FAULT_CRASH_AT</c>; when set, the returned injector kills the process at that point
    /// (<see cref="Environment.FailFast(string)"/>, no finally blocks, no flushing: a kill -9 equivalent).
    /// </summary>
    /// <exception cref="ArgumentException">The variable names an unknown point.</exception>
    public static FaultInjector FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable("FAULT_CRASH_AT");
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        var injector = new FaultInjector(point => Environment.FailFast($"FAULT_CRASH_AT fired at {point}"));
        string[] parts = value.Split(':');
        injector.Arm(parts[0], parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
        return injector;
    }

    /// <summary>An in-process injector: an armed point throws <see cref="SimulatedCrashException"/>.</summary>
    public static FaultInjector Throwing() => new(point => throw new SimulatedCrashException(point));

    /// <summary>Arms <paramref name="point"/> to fire on its <paramref name="hit"/>-th visit (1 = the next one).</summary>
    /// <exception cref="ArgumentException"><paramref name="point"/> is not one of <see cref="CrashPoint.All"/> or <see cref="ScanCrashPoint.All"/>.</exception>
    public void Arm(string point, int hit = 1)
    {
        if (!CrashPoint.All.Contains(point) && !ScanCrashPoint.All.Contains(point))
        {
            throw new ArgumentException($"Unknown crash point '{point}'. Use one of: {string.Join(", ", CrashPoint.All.Concat(ScanCrashPoint.All))}.", nameof(point));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(hit, 1);
        Volatile.Write(ref _remaining, hit);
        Volatile.Write(ref _point, point);
    }

    /// <summary>Disarms the injector.</summary>
    public void Disarm() => Volatile.Write(ref _point, null);

    /// <summary>Called by the pipeline at each named point; fires when that point is armed and its hit count is reached.</summary>
    public void Reached(string point)
    {
        if (Volatile.Read(ref _point) != point || Interlocked.Decrement(ref _remaining) != 0)
        {
            return;
        }

        Volatile.Write(ref _point, null);
        _crash(point);
    }
}
