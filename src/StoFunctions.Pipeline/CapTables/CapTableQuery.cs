namespace StoFunctions.Pipeline.CapTables;

/// <summary>What cap table to build (the <c>GET /api/tokens/{token}/holders</c> query).</summary>
public sealed record CapTableQuery
{
    /// <summary>Sort key; default balance.</summary>
    public CapTableOrder OrderBy { get; init; } = CapTableOrder.Balance;

    /// <summary>Descending (default) or ascending.</summary>
    public bool Descending { get; init; } = true;

    /// <summary>Also list holders whose balance is zero.</summary>
    public bool IncludeEmpty { get; init; }

    /// <summary>At most this many holders (default 5000).</summary>
    public int MaxEntries { get; init; } = 5000;

    /// <summary>Decimals shown in <c>balance</c> (banker's rounding; <c>raw</c> stays exact). Default 2.</summary>
    public int Accuracy { get; init; } = 2;

    /// <summary>The table as of the end of this block; default the last scanned block.</summary>
    public ulong? AtBlock { get; init; }

    /// <summary>The table as of the last block at or before this time.</summary>
    public DateTimeOffset? AtTime { get; init; }
}
