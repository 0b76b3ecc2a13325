namespace StoFunctions.Ethereum.Abi;

/// <summary>What kind of revert data a failed call or transaction returned.</summary>
public enum RevertKind
{
    /// <summary>No data: <c>revert()</c>, <c>require(cond)</c> without a message, out of gas, or an invalid opcode.</summary>
    Empty,

    /// <summary><c>Error(string)</c> from <c>require(cond, "…")</c> or <c>revert("…")</c>.</summary>
    Error,

    /// <summary><c>Panic(uint256)</c> from a failed assert, overflow, division by zero, out-of-bounds index, ….</summary>
    Panic,

    /// <summary>A custom error found among the known errors.</summary>
    Custom,

    /// <summary>Data that matches no known error (or a known selector with malformed arguments).</summary>
    Unknown,
}
