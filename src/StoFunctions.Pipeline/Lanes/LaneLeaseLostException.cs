using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>The lane's lease expired or was taken; the lane stopped before writing (invariant 4).</summary>
public sealed class LaneLeaseLostException : PipelineException
{
    /// <summary>Creates the exception for <paramref name="lane"/>.</summary>
    public LaneLeaseLostException(LaneId lane)
        : base($"The lease of lane {lane} was lost; the lane stopped before its next write. Another instance may hold it now; this one retries acquiring it.")
    {
    }
}
