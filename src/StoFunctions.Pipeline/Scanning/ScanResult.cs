using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>What one scan call did.</summary>
/// <param name="Token">The token.</param>
/// <param name="FromBlock">First block scanned in this call.</param>
/// <param name="LastBlock">Last committed block (the cursor) after the call.</param>
/// <param name="Events">Transfer events committed in this call.</param>
/// <param name="Ranges">Block ranges committed.</param>
/// <param name="RolledBackTo">When a reorg (or a rescan) rolled the cursor back: the block it rolled back to.</param>
public sealed record ScanResult(Address Token, ulong FromBlock, ulong LastBlock, long Events, int Ranges, ulong? RolledBackTo);
