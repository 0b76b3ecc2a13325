using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Functions.CorporateActions;

/// <summary>Chain reads the corporate actions share: batched calls, snapshots, the head block and event logs.</summary>
public static class ActionReads
{
    private const int CallsPerBatch = 200;

    /// <summary>
    /// <c>eth_call</c>s sent as JSON-RPC batches of 200 (a 500-holder payout is 3 HTTP round trips, not 1,000);
    /// returns each call's output, or null where that call reverted.
    /// </summary>
    public static async Task<byte[]?[]> CallManyAsync(JsonRpcClient rpc, IReadOnlyList<(Address To, byte[] Data)> calls, BlockParameter block, CancellationToken cancellationToken)
    {
        var results = new byte[]?[calls.Count];
        for (int offset = 0; offset < calls.Count; offset += CallsPerBatch)
        {
            JsonRpcBatch batch = rpc.CreateBatch();
            int count = Math.Min(CallsPerBatch, calls.Count - offset);
            var tasks = new Task<byte[]?>[count];
            for (int i = 0; i < count; i++)
            {
                (Address to, byte[] data) = calls[offset + i];
                tasks[i] = batch.Add<byte[]>("eth_call", new CallRequest { To = to, Data = data }, block);
            }

            await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < count; i++)
            {
                try
                {
                    results[offset + i] = await tasks[i].ConfigureAwait(false);
                }
                catch (JsonRpcException)
                {
                    results[offset + i] = null;
                }
            }
        }

        return results;
    }

    /// <summary>The latest block's header.</summary>
    public static async Task<BlockHeader> LatestBlockAsync(JsonRpcClient rpc, CancellationToken cancellationToken) =>
        await rpc.GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken).ConfigureAwait(false)
        ?? throw new JsonRpcException("eth_getBlockByNumber", JsonRpcException.ParseErrorCode, "the node returned no latest block", null);

    /// <summary>The token's <c>currentSnapshotId()</c>, or null when it has no snapshots (not a SecurityToken).</summary>
    public static async Task<ulong?> CurrentSnapshotIdAsync(JsonRpcClient rpc, Address token, BlockParameter block, CancellationToken cancellationToken)
    {
        try
        {
            byte[] output = await rpc.CallAsync(new CallRequest { To = token, Data = SecurityTokenContract.CurrentSnapshotId() }, block, cancellationToken).ConfigureAwait(false);
            return output.Length < 32 ? null : (ulong)SecurityTokenContract.DecodeCurrentSnapshotId(output);
        }
        catch (Exception e) when (e is JsonRpcException or OverflowException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The block whose execution took snapshot <paramref name="id"/>: the first block at which
    /// <c>currentSnapshotId() ≥ id</c>, by binary search over historical calls (log2(head) calls, no log range
    /// limits; needs a node that serves state at old blocks, as every cap table at a block does).
    /// </summary>
    public static async Task<ulong> SnapshotBlockAsync(JsonRpcClient rpc, Address token, ulong id, ulong head, CancellationToken cancellationToken)
    {
        ulong low = 0, high = head;
        while (low < high)
        {
            ulong mid = low + ((high - low) / 2);
            ulong current = await CurrentSnapshotIdAsync(rpc, token, mid, cancellationToken).ConfigureAwait(false) ?? 0;
            if (current >= id)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }

    /// <summary>Every log of <paramref name="contract"/> with topic0 <paramref name="topic"/> from genesis to the latest block.</summary>
    public static Task<IReadOnlyList<LogEntry>> LogsAsync(JsonRpcClient rpc, Address contract, Hash32 topic, CancellationToken cancellationToken) =>
        rpc.GetLogsAsync(new LogFilter
        {
            FromBlock = BlockParameter.Earliest,
            ToBlock = BlockParameter.Latest,
            Addresses = [contract],
            Topics = LogFilter.ExactTopics([topic]),
        }, cancellationToken);

    /// <summary>Unix seconds as an ISO 8601 UTC time.</summary>
    public static string IsoTime(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(unixSeconds, 253_402_300_799UL)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
