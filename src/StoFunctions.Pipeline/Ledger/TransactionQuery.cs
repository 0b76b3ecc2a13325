namespace StoFunctions.Pipeline.Ledger;

/// <summary>Read access to the ledger for <c>GET /api/transactions</c> (the <c>sto tx-last</c> replacement).</summary>
public sealed class TransactionQuery
{
    private readonly LedgerTable _ledger;

    /// <summary>Creates the query over the ledger.</summary>
    public TransactionQuery(LedgerTable ledger)
    {
        _ledger = ledger;
    }

    /// <summary>The <paramref name="limit"/> highest-nonce transactions of <paramref name="lane"/>, newest first.</summary>
    public async Task<IReadOnlyList<LedgerTransaction>> LatestAsync(LaneId lane, int limit = 5, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        LedgerAccount? account = await _ledger.GetAccountAsync(lane, cancellationToken).ConfigureAwait(false);
        if (account is null || account.NextNonce == account.FirstNonce)
        {
            return [];
        }

        ulong from = account.NextNonce - Math.Min((ulong)limit, account.NextNonce - account.FirstNonce);
        List<LedgerTransaction> rows = await _ledger.GetTransactionsAsync(lane, from, cancellationToken: cancellationToken).ConfigureAwait(false);
        rows.Reverse();
        return rows;
    }
}
