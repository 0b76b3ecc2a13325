using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>Admin view and re-sync of a lane's nonce (the <c>sto tx-next-nonce</c> / <c>tx-restart-nonce</c> replacements).</summary>
public sealed class NonceService
{
    private readonly LedgerTable _ledger;
    private readonly JsonRpcClient _rpc;

    /// <summary>Creates the service.</summary>
    public NonceService(LedgerTable ledger, JsonRpcClient rpc)
    {
        _ledger = ledger;
        _rpc = rpc;
    }

    /// <summary>The ledger's next nonce next to the chain's latest and pending counts.</summary>
    public async Task<NonceReport> GetAsync(LaneId lane, CancellationToken cancellationToken = default)
    {
        LedgerAccount? account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
        ulong latest = await _rpc.GetTransactionCountAsync(lane.Sender, BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        ulong pending = await _rpc.GetTransactionCountAsync(lane.Sender, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
        return new NonceReport(account?.NextNonce, latest, pending, account?.Restarts ?? 0);
    }

    /// <summary>
    /// Re-syncs the lane's account row with the chain without deleting history: the next nonce becomes
    /// max(chain pending count, ledger next). It never moves down, because every allocated nonce has a ledger row
    /// that keeps its intent and attempts (invariant 5) and a lower value would collide with them. When the chain
    /// is ahead (another wallet used the key), each skipped nonce gets a no-op filler row in the same
    /// entity-group transaction as the account row, so invariant 1 holds at once rather than only after the next
    /// command; the lane then sends the filler, meets <c>nonce too low</c>, finds the foreign transaction and
    /// records the row as NonceConsumedExternally with its hash. Open rows the chain already passed are
    /// reconciled by the lane (adopted if the mined transaction carries their intent).
    /// </summary>
    /// <returns>The report after the re-sync.</returns>
    public async Task<NonceReport> RestartAsync(LaneId lane, CancellationToken cancellationToken = default)
    {
        bool counted = false;
        for (int attempt = 0; ; attempt++)
        {
            LedgerAccount? account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
            ulong pending = await _rpc.GetTransactionCountAsync(lane.Sender, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
            ulong from = account?.NextNonce ?? pending;

            // account row + fillers ≤ 100 actions; a larger drift takes several batches, each one durable.
            ulong fillers = account is null || pending <= from ? 0 : Math.Min(pending - from, StorageLimits.MaxTransactionActions - 1);
            var next = new LedgerAccount
            {
                NextNonce = Math.Max(from + fillers, account?.NextNonce ?? 0),
                FirstNonce = account?.FirstNonce ?? pending,
                Restarts = (account?.Restarts ?? 0) + (counted ? 0 : 1),
            };
            TableEntity entity = LedgerRows.ToEntity(lane, next);
            var actions = new List<TableTransactionAction>
            {
                account is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, account.ETag),
            };
            DateTimeOffset now = DateTimeOffset.UtcNow;
            for (ulong nonce = from; nonce < from + fillers; nonce++)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LedgerRows.ToEntity(lane, Filler(lane, nonce, now))));
            }

            try
            {
                await _ledger.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                counted = true;
                if (account is null || pending <= next.NextNonce)
                {
                    return await GetAsync(lane, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // A producer allocated meanwhile; re-read and apply the rule again.
            }
        }
    }

    private static LedgerTransaction Filler(LaneId lane, ulong nonce, DateTimeOffset now) => new()
    {
        Nonce = nonce,
        State = TransactionState.Planned,
        To = lane.Sender,
        Data = BusinessKeyTag.Filler(),
        GasLimit = BusinessKeyTag.FillerGasLimit,
        Note = "no-op filler for a nonce the chain consumed outside the ledger (restart-nonce)",
        IsFiller = true,
        CreatedTime = now,
        UpdatedTime = now,
    };
}
