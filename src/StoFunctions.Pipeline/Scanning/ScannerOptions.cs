namespace StoFunctions.Pipeline.Scanning;

/// <summary>Knobs of the token scanner (configuration section <c>Scanner</c>).</summary>
public sealed class ScannerOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Scanner";

    /// <summary>Prefix of every scanner table name (tests use it to isolate runs); letters and digits only.</summary>
    public string TablePrefix { get; set; } = "";

    /// <summary>The host's table of tokens we issued (PartitionKey <c>token</c>, RowKey = lowercase address).</summary>
    public string TokensTable { get; set; } = "tokens";

    /// <summary>
    /// Blocks to stay behind the head. Default 0: reorgs up to <see cref="ReorgWindow"/> are detected and rolled
    /// back anyway, so a margin only delays the cap table; raise it (e.g. 12 on mainnet) to avoid churn.
    /// </summary>
    public int Confirmations { get; set; }

    /// <summary>How many recent blocks keep their hashes in the cursor, i.e. the deepest reorg that is detected.</summary>
    public int ReorgWindow { get; set; } = 64;

    /// <summary>How many block ranges are fetched at once (they are still committed in order).</summary>
    public int MaxConcurrentRanges { get; set; } = 4;

    /// <summary>Block count of the first range.</summary>
    public int InitialRangeBlocks { get; set; } = 1_000;

    /// <summary>Upper bound of a range (many providers refuse larger ones anyway).</summary>
    public int MaxRangeBlocks { get; set; } = 50_000;

    /// <summary>Events per range the sizer aims for: ranges grow while sparser and shrink when denser.</summary>
    public int TargetEventsPerRange { get; set; } = 5_000;

    /// <summary>
    /// Seconds <c>POST /api/tokens/{token}/scans</c> waits for its scan before answering 202, so a small scan's answer
    /// already says Completed and carries the result; a longer scan continues in the background.
    /// </summary>
    public int ScanWaitSeconds { get; set; } = 5;
}
