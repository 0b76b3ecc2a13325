using Azure;
using StoFunctions.Azure.Storage.Tables;
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
    /// is ahead (another wallet used the key), the skipped nonces get no-op filler rows from the lane, which then
    /// records each as NonceConsumedExternally with the foreign hash, so invariant 1 still holds. Open rows the
    /// chain already passed are reconciled by the lane (adopted if the mined transaction carries their intent).
    /// </summary>
    /// <returns>The report after the re-sync.</returns>
    public async Task<NonceReport> RestartAsync(LaneId lane, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            LedgerAccount? account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
            ulong pending = await _rpc.GetTransactionCountAsync(lane.Sender, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
            var next = new LedgerAccount
            {
                NextNonce = Math.Max(pending, account?.NextNonce ?? 0),
                FirstNonce = account?.FirstNonce ?? pending,
                Restarts = (account?.Restarts ?? 0) + 1,
            };
            try
            {
                TableEntity entity = LedgerRows.ToEntity(lane, next);
                if (account is null)
                {
                    await _ledger.Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _ledger.Table.UpdateEntityAsync(entity, account.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return await GetAsync(lane, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // A producer allocated meanwhile; re-read and apply the rule again.
            }
        }
    }
}
