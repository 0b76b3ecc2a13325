namespace StoFunctions.Pipeline.Faults;

/// <summary>
/// Thrown at an armed crash point when the injector runs in-process: everything above it unwinds and the
/// in-memory state is abandoned, as if the process had died. Never caught by the pipeline itself.
/// </summary>
public sealed class SimulatedCrashException : Exception
{
    /// <summary>Creates the exception for the crash point that fired.</summary>
    public SimulatedCrashException(string point)
        : base($"Simulated crash at '{point}' (fault injection). The process state must be discarded and the pipeline restarted from storage.")
    {
        Point = point;
    }

    /// <summary>The crash point that fired.</summary>
    public string Point { get; }
}
