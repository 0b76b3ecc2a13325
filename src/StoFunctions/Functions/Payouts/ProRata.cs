using System.Numerics;
using StoFunctions.Ethereum;

namespace StoFunctions.Functions.Payouts;

/// <summary>
/// Pro-rata shares in exact integer arithmetic: <c>floor(balance × total / base)</c>, as sto's unreleased
/// <c>payout-distribute</c> and our <c>PayoutDistributor.entitlement</c> compute them (research/sto.md §1.5). The
/// product is taken in arbitrary precision so it cannot overflow; the share itself always fits 256 bits because
/// <c>balance ≤ base</c>. Never floating point: 100 ETH over 300 of 9,999 is exactly 3000300030003000300 wei.
/// </summary>
public static class ProRata
{
    /// <summary>The share of <paramref name="balance"/> out of <paramref name="base"/> in <paramref name="total"/>, rounded down.</summary>
    /// <exception cref="ArgumentException"><paramref name="base"/> is zero or smaller than <paramref name="balance"/>.</exception>
    public static UInt256 Share(UInt256 balance, UInt256 total, UInt256 @base)
    {
        if (@base.IsZero)
        {
            throw new ArgumentException("The base (supply minus excluded balances) is zero; there is nobody to pay.", nameof(@base));
        }

        if (balance > @base)
        {
            throw new ArgumentException($"A balance of {balance} exceeds the base {@base}; the base must include every paid balance.", nameof(balance));
        }

        return (UInt256)((BigInteger)balance * total / @base);
    }

    /// <summary>
    /// One share per holder, in the given order, leaving out holders whose share rounds to zero. The sum never
    /// exceeds <paramref name="total"/> while the balances sum to at most <paramref name="base"/>; the rest is dust.
    /// </summary>
    public static IReadOnlyList<(Address Holder, UInt256 Amount)> Split(IEnumerable<(Address Holder, UInt256 Balance)> holders, UInt256 total, UInt256 @base)
    {
        ArgumentNullException.ThrowIfNull(holders);
        var shares = new List<(Address, UInt256)>();
        foreach ((Address holder, UInt256 balance) in holders)
        {
            UInt256 share = Share(balance, total, @base);
            if (!share.IsZero)
            {
                shares.Add((holder, share));
            }
        }

        return shares;
    }
}
