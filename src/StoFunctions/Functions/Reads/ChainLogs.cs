using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// Event reads for the read routes: <c>eth_getLogs</c> over fixed block ranges from a contract's creation block to
/// the head, each range halved while the provider refuses it as too big, so a read works against providers that cap
/// ranges or result counts as well as against a local node.
/// </summary>
public static class ChainLogs
{
    /// <summary>Blocks per request before any split (public providers commonly allow 10,000 or more).</summary>
    public const ulong RangeBlocks = 10_000;

    /// <summary>
    /// The block to read <paramref name="contract"/>'s events from: its deployment block as the service recorded it
    /// (a token it issued), else <see cref="CreationBlockAsync"/>; null when it has no code at <paramref name="head"/>.
    /// </summary>
    public static async Task<ulong?> FirstBlockAsync(ScanStore scans, JsonRpcClient rpc, Address contract, ulong head, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scans);
        return await scans.GetIssuedDeploymentBlockAsync(contract, cancellationToken).ConfigureAwait(false)
            ?? await CreationBlockAsync(rpc, contract, head, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first block at which <paramref name="contract"/> has code, by binary search over <c>eth_getCode</c> at
    /// historical blocks (log2(head) calls instead of scanning from genesis); null when it has no code at
    /// <paramref name="head"/>. A node that serves no old state answers 0, so the read starts at genesis.
    /// </summary>
    public static async Task<ulong?> CreationBlockAsync(JsonRpcClient rpc, Address contract, ulong head, CancellationToken cancellationToken)
    {
        if ((await rpc.GetCodeAsync(contract, head, cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            return null;
        }

        ulong low = 0, high = head;
        try
        {
            while (low < high)
            {
                ulong mid = low + ((high - low) / 2);
                if ((await rpc.GetCodeAsync(contract, mid, cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                    high = mid;
                }
                else
                {
                    low = mid + 1;
                }
            }
        }
        catch (JsonRpcException)
        {
            return 0;
        }

        return low;
    }

    /// <summary>
    /// Every log of <paramref name="contract"/> whose topic 0 is one of <paramref name="topics"/> in
    /// <paramref name="fromBlock"/>..<paramref name="toBlock"/>, in chain order (block, log index); removed logs are dropped.
    /// <paramref name="indexed"/> filters topics 1.. (null entries match anything).
    /// </summary>
    public static async Task<List<LogEntry>> GetAsync(JsonRpcClient rpc, Address contract, IReadOnlyList<Hash32> topics, ulong fromBlock, ulong toBlock, CancellationToken cancellationToken, params IReadOnlyList<Hash32?> indexed)
    {
        IReadOnlyList<IReadOnlyList<Hash32>?> filterTopics = [topics, .. indexed.Select(t => t is Hash32 h ? (IReadOnlyList<Hash32>?)[h] : null)];
        var logs = new List<LogEntry>();
        for (ulong start = fromBlock; start <= toBlock; start += RangeBlocks)
        {
            ulong end = Math.Min(toBlock, start + RangeBlocks - 1);
            logs.AddRange(await RangeAsync(rpc, contract, filterTopics, start, end, cancellationToken).ConfigureAwait(false));
            if (end == ulong.MaxValue)
            {
                break;
            }
        }

        return [.. logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex)];
    }

    private static async Task<List<LogEntry>> RangeAsync(JsonRpcClient rpc, Address contract, IReadOnlyList<IReadOnlyList<Hash32>?> topics, ulong from, ulong to, CancellationToken cancellationToken)
    {
        var filter = new LogFilter { FromBlock = from, ToBlock = to, Addresses = [contract], Topics = topics };
        try
        {
            IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(filter, cancellationToken).ConfigureAwait(false);
            return [.. logs.Where(l => !l.Removed)];
        }
        catch (Exception ex) when (from < to && !cancellationToken.IsCancellationRequested && ProviderLimits.IsRangeLimit(ex))
        {
            ulong mid = from + ((to - from) / 2);
            List<LogEntry> low = await RangeAsync(rpc, contract, topics, from, mid, cancellationToken).ConfigureAwait(false);
            low.AddRange(await RangeAsync(rpc, contract, topics, mid + 1, to, cancellationToken).ConfigureAwait(false));
            return low;
        }
    }
}
