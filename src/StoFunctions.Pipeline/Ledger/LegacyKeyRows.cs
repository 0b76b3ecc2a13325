using System.Collections.Concurrent;
using Azure.Data.Tables;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// Whether a lane's partition may hold idempotency rows under the pre-tag row key
/// (<see cref="CommandKeys.LegacyBusinessKeyRow"/>). Only ledgers written before business-key tags have them and
/// nothing writes one any more, so a lane found without any keeps none; a point read of a key that holds no nonce
/// then costs one request instead of two (the second, for the old key, was a quarter of a single transfer's storage
/// requests). Found once per lane and process by reading the lane's idempotency row keys (row keys only, stopping
/// at the first old one); until that read is done, and if it fails, the lane counts as possibly holding them.
/// </summary>
/// <remarks>
/// Kept in memory rather than on a row: the answer is asked for on read paths (planning a request that may still
/// be refused), which must not write. A restored backup of a ledger holds old rows only if that ledger did, and
/// then this process found them too.
/// </remarks>
internal sealed class LegacyKeyRows(TableClient table)
{
    private static readonly int s_taggedLength = CommandKeys.BusinessKeyRowOf(new byte[BusinessKeyTag.HashLength]).Length;

    private readonly ConcurrentDictionary<string, Task<bool>> _possible = new(StringComparer.Ordinal);

    /// <summary>False once the lane is known to hold no legacy rows; true before that is known.</summary>
    public bool Possible(LaneId lane)
    {
        Task<bool> found = Finding(lane);
        if (found.IsFaulted)
        {
            // A storage error is no answer: the next caller looks again.
            _possible.TryRemove(new KeyValuePair<string, Task<bool>>(lane.PartitionKey, found));
        }

        return !found.IsCompletedSuccessfully || found.Result;
    }

    /// <summary>The lane's answer once it is found (tests wait for it so that their request counts do not race it).</summary>
    public Task<bool> FoundAsync(LaneId lane) => Finding(lane);

    private Task<bool> Finding(LaneId lane) => _possible.GetOrAdd(lane.PartitionKey, _ => Task.Run(() => FindAsync(lane)));

    private async Task<bool> FindAsync(LaneId lane)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {lane.PartitionKey} and RowKey ge {CommandKeys.BusinessKeyRowPrefix} and RowKey lt {"key."}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"]).ConfigureAwait(false))
        {
            if (row.RowKey.Length != s_taggedLength)
            {
                return true;
            }
        }

        return false;
    }
}
