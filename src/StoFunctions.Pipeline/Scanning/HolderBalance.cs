using System.Numerics;
using Azure;
using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>A holder's raw balance (exact integer) and its last change.</summary>
/// <param name="Holder">The holder.</param>
/// <param name="Balance">Raw balance; signed only because a scan that does not start at deployment may see debits first.</param>
/// <param name="LastBlock">Block of the last transfer touching the holder.</param>
/// <param name="LastTime">Timestamp of that block.</param>
public sealed record HolderBalance(Address Holder, BigInteger Balance, ulong LastBlock, DateTimeOffset LastTime)
{
    /// <summary>
    /// Block of the holder's first transfer; 0 when unknown (rows written before it was recorded). A holder's first
    /// appearance has no balance-history row: at any block before this one the holder did not exist.
    /// </summary>
    public ulong FirstBlock { get; init; }

    /// <summary>The stored row's ETag (default when not stored yet): the scanner's writes are conditional on it.</summary>
    public ETag ETag { get; init; }

    /// <summary>Equal when holder, balance, blocks and time are: the <see cref="ETag"/> is storage bookkeeping, not part of the value.</summary>
    public bool Equals(HolderBalance? other) =>
        other is not null && Holder.Equals(other.Holder) && Balance == other.Balance && LastBlock == other.LastBlock
        && LastTime == other.LastTime && FirstBlock == other.FirstBlock;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Holder, Balance, LastBlock, LastTime, FirstBlock);
}
