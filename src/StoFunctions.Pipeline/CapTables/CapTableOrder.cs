namespace StoFunctions.Pipeline.CapTables;

/// <summary>Sort keys of a cap table (<c>orderBy</c>).</summary>
public enum CapTableOrder
{
    /// <summary>By raw balance.</summary>
    Balance,

    /// <summary>By identity name, case-insensitive; unnamed holders (<c>&lt;Unknown&gt;</c>) last in either direction.</summary>
    Name,

    /// <summary>By the block of the last transfer.</summary>
    Updated,

    /// <summary>By address.</summary>
    Address,
}
