namespace StoFunctions.Pipeline.Faults;

/// <summary>
/// The scanner's named crash moments: after each durable write of a range (events, history and holders are written
/// in batches of up to 100 rows, each batch its own moment), after the cursor, and inside a rollback. A crash at any
/// of them must leave tables from which the next scan ends equal to the chain.
/// </summary>
public static class ScanCrashPoint
{
    /// <summary>One batch of a range's event rows is written.</summary>
    public const string AfterEventsBatch = "scan_after_events_batch";

    /// <summary>One batch of a range's balance-history rows is written.</summary>
    public const string AfterHistoryBatch = "scan_after_history_batch";

    /// <summary>One batch of a range's holder rows is written (the cursor has not moved yet).</summary>
    public const string AfterHoldersBatch = "scan_after_holders_batch";

    /// <summary>A cursor row is written (a range's commit point, a first scan's start, or a rollback's first step).</summary>
    public const string AfterCursor = "scan_after_cursor";

    /// <summary>A rollback restored and removed holder rows; history and events above the block are still there.</summary>
    public const string RollbackAfterHolders = "scan_rollback_after_holders";

    /// <summary>A rollback deleted one batch of history rows.</summary>
    public const string RollbackAfterHistoryBatch = "scan_rollback_after_history_batch";

    /// <summary>Every scanner point.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AfterEventsBatch, AfterHistoryBatch, AfterHoldersBatch, AfterCursor, RollbackAfterHolders, RollbackAfterHistoryBatch,
    ];
}
