namespace StoFunctions.Pipeline.Lanes;

/// <summary>How a slice of a lane (<see cref="LaneRunner.RunSliceAsync"/>) ended; it tells the lane orchestration when to run the next.</summary>
public enum LaneSliceOutcome
{
    /// <summary>Nothing is open: the next slice waits for a wake or the idle interval.</summary>
    Idle,

    /// <summary>Transactions are still open (or a step failed within the slice): the next slice runs at once.</summary>
    Busy,

    /// <summary>Another process holds the lane's lease: try again shortly.</summary>
    HeldElsewhere,

    /// <summary>The lease blob could not be reached: try again after a backoff.</summary>
    Failed,
}
