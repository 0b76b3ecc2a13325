using System.Numerics;
using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>
/// One holder's balance after a block that changed it, with the balance before. Rolling back to block B restores
/// each holder's <see cref="Previous"/> from its first change after B; a cap table at block B reads the same rows.
/// </summary>
/// <param name="Holder">The holder.</param>
/// <param name="Block">The block that changed the balance.</param>
/// <param name="Time">That block's timestamp.</param>
/// <param name="Balance">Raw balance after the block.</param>
/// <param name="Previous">Raw balance before the block.</param>
/// <param name="PreviousBlock">Block of the change before; 0 when the holder had none.</param>
/// <param name="PreviousTime">Timestamp of <paramref name="PreviousBlock"/>.</param>
public sealed record BalanceChange(Address Holder, ulong Block, DateTimeOffset Time, BigInteger Balance, BigInteger Previous, ulong PreviousBlock, DateTimeOffset PreviousTime);
