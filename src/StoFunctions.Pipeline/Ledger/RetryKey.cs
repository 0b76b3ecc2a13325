namespace StoFunctions.Pipeline.Ledger;

/// <summary>The business key a transfer uses now, after looking at the attempts its base key already had.</summary>
/// <param name="BusinessKey">The key to plan under: the base key, or <c>{key}#retry-N</c>.</param>
/// <param name="Attempt">0 for the base key, N for <c>#retry-N</c>.</param>
/// <param name="Exists">True when the key already holds a nonce (the request gets that transaction's result).</param>
/// <param name="RetriedNonce">The nonce of the failed attempt a new retry replaces, else null.</param>
public sealed record RetryKey(string BusinessKey, int Attempt, bool Exists, ulong? RetriedNonce)
{
    /// <summary>What separates a base key from its attempt number.</summary>
    public const string Separator = "#retry-";

    /// <summary>The business key of attempt <paramref name="attempt"/> of <paramref name="businessKey"/> (0: the base key itself).</summary>
    public static string For(string businessKey, int attempt) =>
        attempt == 0 ? businessKey : businessKey + Separator + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The key to plan <paramref name="businessKey"/> under: the latest attempt that holds a nonce, or — when
    /// <paramref name="retryFailed"/> and that attempt's transaction ended Failed, was rejected by the node or had
    /// its nonce consumed outside the service — the next attempt, a new key whose transaction is new. Earlier
    /// attempts keep their ledger rows (history); a pending or successful attempt is never retried.
    /// </summary>
    public static async Task<RetryKey> ResolveAsync(LedgerTable ledger, LaneId lane, string businessKey, bool retryFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ulong? latestNonce = null;
        int attempt = 0;
        while (await ledger.TryGetAsync(lane.PartitionKey, Commands.CommandKeys.BusinessKeyRow(For(businessKey, attempt)), cancellationToken).ConfigureAwait(false) is { } row)
        {
            latestNonce = (ulong)row.GetInt64("Nonce")!.Value;
            attempt++;
        }

        if (latestNonce is not ulong nonce)
        {
            return new RetryKey(businessKey, 0, false, null);
        }

        int latest = attempt - 1;
        if (retryFailed && (await ledger.GetTransactionsAsync(lane, nonce, nonce, cancellationToken).ConfigureAwait(false)).SingleOrDefault() is { } tx
            && (tx.RejectedError is not null || tx.State is TransactionState.Failed or TransactionState.NonceConsumedExternally))
        {
            return new RetryKey(For(businessKey, latest + 1), latest + 1, false, nonce);
        }

        return new RetryKey(For(businessKey, latest), latest, true, null);
    }
}
