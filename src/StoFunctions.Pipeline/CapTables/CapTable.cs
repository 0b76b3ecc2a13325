namespace StoFunctions.Pipeline.CapTables;

/// <summary>A cap table (JSON shape binding per api.md).</summary>
/// <param name="Token">EIP-55 token address.</param>
/// <param name="Name">Token name.</param>
/// <param name="Symbol">Token symbol.</param>
/// <param name="Decimals">Token decimals.</param>
/// <param name="TotalSupply">On-chain <c>totalSupply()</c> at <paramref name="AsOfBlock"/> in token units, or null when the call fails.</param>
/// <param name="AccountedSupply">Sum of positive scanned balances in token units; differs from total supply when accounting is broken.</param>
/// <param name="HolderCount">Holders matching the query before <c>maxEntries</c> truncation.</param>
/// <param name="AsOfBlock">The block the table describes.</param>
/// <param name="AsOfTime">That block's timestamp.</param>
/// <param name="Holders">The rows, sorted and truncated.</param>
public sealed record CapTable(string Token, string Name, string Symbol, int Decimals, string? TotalSupply, string AccountedSupply, int HolderCount, ulong AsOfBlock, DateTimeOffset AsOfTime, IReadOnlyList<CapTableEntry> Holders);
