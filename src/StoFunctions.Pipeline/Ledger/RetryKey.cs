namespace StoFunctions.Pipeline.Ledger;

/// <summary>The business key a transfer uses now, after looking at the attempts its base key already had.</summary>
/// <param name="BusinessKey">The key to plan under: the base key <c>{token}/{externalId}</c>, or <c>{token}/!retry-N/{externalId}</c>.</param>
/// <param name="Attempt">0 for the base key, N for <c>!retry-N</c>.</param>
/// <param name="Exists">True when the key already holds a nonce (the request gets that transaction's result).</param>
/// <param name="RetriedNonce">The nonce of the failed attempt a new retry replaces, else null.</param>
public sealed record RetryKey(string BusinessKey, int Attempt, bool Exists, ulong? RetriedNonce)
{
    /// <summary>
    /// The business key of attempt <paramref name="attempt"/> of <paramref name="businessKey"/> (0: the base key
    /// itself). A retry's key sits in the service's own key space right after the token (<c>{token}/!…</c>): external
    /// ids may not start with <c>!</c>, so no user row can take it (a suffix such as <c>#retry-1</c> could be typed as
    /// part of an external id and would collide).
    /// </summary>
    public static string For(string businessKey, int attempt)
    {
        ArgumentNullException.ThrowIfNull(businessKey);
        if (attempt == 0)
        {
            return businessKey;
        }

        int slash = businessKey.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new ArgumentException($"Business key '{businessKey}' has no '{{token}}/' prefix; only transfer keys '{{token}}/{{externalId}}' can be retried.", nameof(businessKey));
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{businessKey[..(slash + 1)]}!retry-{attempt}/{businessKey[(slash + 1)..]}");
    }

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
        while (await ledger.TryGetBusinessKeyAsync(lane, For(businessKey, attempt), cancellationToken).ConfigureAwait(false) is { } row)
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
