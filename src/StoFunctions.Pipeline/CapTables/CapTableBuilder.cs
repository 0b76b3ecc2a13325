using System.Numerics;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.CapTables;

/// <summary>
/// Builds cap tables from the scanner's tables, now or at a past block or time. A past balance comes from the
/// holder's first balance-history row after that block (its "previous" value), so no events are re-summed.
/// </summary>
public sealed class CapTableBuilder
{
    /// <summary>The name of a holder without an identity.</summary>
    public const string UnknownName = "<Unknown>";

    private readonly JsonRpcClient _rpc;
    private readonly ScanStore _store;
    private readonly CustodianHoldings _custodians;

    /// <summary>Creates a builder.</summary>
    public CapTableBuilder(JsonRpcClient rpc, ScanStore store)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(store);
        _rpc = rpc;
        _store = store;
        _custodians = new CustodianHoldings(rpc);
    }

    /// <summary>Builds the cap table of <paramref name="token"/> for <paramref name="query"/>.</summary>
    /// <exception cref="ScanException">Not scanned yet, or the block/time is outside the scanned range.</exception>
    public async Task<CapTable> BuildAsync(Address token, CapTableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _store.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        ScanCursor cursor = await _store.GetCursorAsync(token, cancellationToken).ConfigureAwait(false)
            ?? throw new ScanException($"Token {token} has not been scanned; POST /api/tokens/{token}/scans or PUT /api/tokens/{token}/watch first.", ScanErrorKind.NotScanned);
        if (cursor.LastBlock < cursor.StartBlock)
        {
            throw new ScanException($"Token {token} has no scanned block yet (the scan starts at block {cursor.StartBlock}); scan again once the chain has passed it.", ScanErrorKind.NotScanned);
        }

        ulong asOf = query.AtBlock ?? cursor.LastBlock;
        if (query.AtTime is { } time)
        {
            asOf = await LastBlockAtOrBeforeAsync(time, cursor.LastBlock, cancellationToken).ConfigureAwait(false);
        }

        if (asOf > cursor.LastBlock)
        {
            throw new ScanException($"Block {asOf} is after the last scanned block {cursor.LastBlock} of {token}; scan first or ask for an earlier block.", ScanErrorKind.NotScanned);
        }

        Dictionary<Address, HolderBalance> holders = await _store.LoadHoldersAsync(token, cancellationToken).ConfigureAwait(false);
        if (asOf < cursor.LastBlock)
        {
            // Holders first seen after the block did not exist then (their first appearance has no history row).
            foreach (Address later in holders.Values.Where(h => h.FirstBlock > asOf).Select(h => h.Holder).ToList())
            {
                holders.Remove(later);
            }

            foreach ((Address holder, BalanceChange change) in await _store.FirstChangesAfterAsync(token, asOf, cancellationToken).ConfigureAwait(false))
            {
                if (change.PreviousBlock == 0)
                {
                    holders.Remove(holder);
                }
                else if (holders.TryGetValue(holder, out HolderBalance? now))
                {
                    holders[holder] = now with { Balance = change.Previous, LastBlock = change.PreviousBlock, LastTime = change.PreviousTime };
                }
            }
        }

        Dictionary<Address, string> names = await _store.GetIdentitiesAsync(cancellationToken).ConfigureAwait(false);
        BigInteger accounted = holders.Values.Where(h => h.Balance.Sign > 0).Aggregate(BigInteger.Zero, (sum, h) => sum + h.Balance);
        var rows = holders.Values
            .Where(h => query.IncludeEmpty || !h.Balance.IsZero)
            .Select(h => (Holder: h, Name: names.GetValueOrDefault(h.Holder, UnknownName)))
            .ToList();
        rows.Sort((a, b) => Compare(a, b, query));
        int decimals = cursor.Decimals;
        var entries = rows.Take(Math.Max(0, query.MaxEntries)).Select(r => new CapTableEntry(
            r.Holder.Holder.ToString(),
            r.Name,
            TokenUnits.Round(r.Holder.Balance, decimals, query.Accuracy),
            r.Holder.Balance.ToString(System.Globalization.CultureInfo.InvariantCulture),
            accounted.IsZero ? "0.00" : TokenUnits.Round(TokenUnits.DivideHalfEven(r.Holder.Balance * 1_000_000, accounted), 4, 2),
            r.Holder.LastBlock,
            r.Holder.LastTime)).ToList();

        // A custodian's row keeps its balance (the total counts it once) and lists whose it is.
        IReadOnlySet<Address> custodians = entries.Count == 0 ? new HashSet<Address>() : await _custodians.CustodiansAsync(token, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < entries.Count; i++)
        {
            Address holder = rows[i].Holder.Holder;
            if (custodians.Contains(holder))
            {
                IReadOnlyDictionary<Hash32, BigInteger> owners = await _custodians.OwnersAsync(holder, token, cursor.StartBlock, asOf, cancellationToken).ConfigureAwait(false);
                entries[i] = entries[i] with
                {
                    BeneficialOwners = [.. owners.OrderByDescending(o => o.Value).ThenBy(o => o.Key.ToString(), StringComparer.Ordinal).Select(o => new BeneficialOwner(o.Key.ToString(), TokenUnits.Round(o.Value, decimals, query.Accuracy), o.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
                };
            }
        }

        BlockHeader header = await _rpc.GetBlockByNumberAsync(asOf, cancellationToken).ConfigureAwait(false)
            ?? throw new ScanException($"Block {asOf} is not on the chain any more; scan {token} again (a reorg shortened the chain).");
        string? totalSupply = await TotalSupplyAsync(token, asOf, decimals, cancellationToken).ConfigureAwait(false);
        return new CapTable(
            token.ToString(), cursor.Name, cursor.Symbol, decimals, totalSupply, TokenUnits.Format(accounted, decimals), rows.Count, asOf,
            DateTimeOffset.FromUnixTimeSeconds((long)header.Timestamp), entries);
    }

    private static int Compare((HolderBalance Holder, string Name) a, (HolderBalance Holder, string Name) b, CapTableQuery query)
    {
        // Unnamed holders (<Unknown>) come last in both directions: '<' sorts before letters, so a plain
        // comparison put every unnamed holder ahead of the named ones in ascending order.
        if (query.OrderBy == CapTableOrder.Name && (a.Name == UnknownName) != (b.Name == UnknownName))
        {
            return a.Name == UnknownName ? 1 : -1;
        }

        int order = query.OrderBy switch
        {
            CapTableOrder.Balance => a.Holder.Balance.CompareTo(b.Holder.Balance),
            CapTableOrder.Name => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase),
            CapTableOrder.Updated => a.Holder.LastBlock.CompareTo(b.Holder.LastBlock),
            _ => 0,
        };
        if (query.Descending)
        {
            order = -order;
        }

        // Ties (and orderBy=address) go by address in the requested direction, so pages are deterministic.
        if (order == 0)
        {
            order = a.Holder.Holder.CompareTo(b.Holder.Holder);
            if (query.Descending && query.OrderBy == CapTableOrder.Address)
            {
                order = -order;
            }
        }

        return order;
    }

    private async Task<string?> TotalSupplyAsync(Address token, ulong block, int decimals, CancellationToken cancellationToken)
    {
        try
        {
            byte[] output = await _rpc.CallAsync(new CallRequest { To = token, Data = PlainTokenContract.TotalSupply() }, block, cancellationToken).ConfigureAwait(false);
            return TokenUnits.Format((BigInteger)PlainTokenContract.DecodeTotalSupply(output), decimals);
        }
        catch (Exception ex) when (ex is JsonRpcException or StoFunctions.Ethereum.Abi.AbiException)
        {
            // A pruned node cannot answer for old blocks; the table is still useful without it.
            return null;
        }
    }

    private async Task<ulong> LastBlockAtOrBeforeAsync(DateTimeOffset time, ulong last, CancellationToken cancellationToken)
    {
        long seconds = time.ToUnixTimeSeconds();
        if (await TimestampAsync(0, cancellationToken).ConfigureAwait(false) > seconds)
        {
            throw new ScanException($"atTime {time:O} is before the chain's first block; pass a later time.", ScanErrorKind.Invalid);
        }

        // Timestamps never decrease along the chain, so binary search finds the last block at or before the time.
        ulong low = 0, high = last;
        while (low < high)
        {
            ulong mid = low + ((high - low + 1) / 2);
            if (await TimestampAsync(mid, cancellationToken).ConfigureAwait(false) <= seconds)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    private async Task<long> TimestampAsync(ulong block, CancellationToken cancellationToken)
    {
        BlockHeader header = await _rpc.GetBlockByNumberAsync(block, cancellationToken).ConfigureAwait(false)
            ?? throw new ScanException($"Block {block} does not exist on the node.");
        return (long)header.Timestamp;
    }
}
