using Azure.Data.Tables;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>The business key a transfer uses now, after looking at the attempts its base key already had.</summary>
/// <param name="BusinessKey">The key to plan under: the base key <c>{token}/{externalId}</c>, or <c>{token}/!retry-N/{externalId}</c>.</param>
/// <param name="Attempt">0 for the base key, N for <c>!retry-N</c>.</param>
/// <param name="RetriedNonce">The nonce of the failed attempt a new retry replaces, else null.</param>
/// <param name="Nonce">The nonce <paramref name="BusinessKey"/> already holds, else null (a new key).</param>
public sealed record RetryKey(string BusinessKey, int Attempt, ulong? RetriedNonce, ulong? Nonce)
{
    /// <summary>True when the key already holds a nonce (the request gets that transaction's result).</summary>
    public bool Exists => Nonce is not null;

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
    /// The key to plan each of <paramref name="businessKeys"/> under: the latest attempt that holds a nonce, or —
    /// when <paramref name="retryFailed"/> and that attempt's transaction ended Failed, was rejected by the node or
    /// had its nonce consumed outside the service — the next attempt, a new key whose transaction is new. Earlier
    /// attempts keep their ledger rows (history); a pending or successful attempt is never retried.
    /// </summary>
    /// <remarks>
    /// Each attempt number is looked up for every key still in play at once (<see cref="LedgerTable.GetBusinessKeysAsync(LaneId, IReadOnlyList{string}, CancellationToken)"/>),
    /// so a new file costs one round of lookups, not one per row.
    /// </remarks>
    /// <returns>One result per key, in order.</returns>
    public static async Task<RetryKey[]> ResolveManyAsync(LedgerTable ledger, LaneId lane, IReadOnlyList<string> businessKeys, bool retryFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(businessKeys);
        var latestNonce = new ulong?[businessKeys.Count];
        var held = new int[businessKeys.Count];
        List<int> open = [.. Enumerable.Range(0, businessKeys.Count)];
        for (int attempt = 0; open.Count > 0; attempt++)
        {
            TableEntity?[] rows = await ledger.GetBusinessKeysAsync(lane, [.. open.Select(i => For(businessKeys[i], attempt))], cancellationToken).ConfigureAwait(false);
            var next = new List<int>();
            for (int j = 0; j < open.Count; j++)
            {
                if (rows[j] is { } row)
                {
                    latestNonce[open[j]] = (ulong)row.GetInt64("Nonce")!.Value;
                    held[open[j]] = attempt + 1;
                    next.Add(open[j]);
                }
            }

            open = next;
        }

        var keys = new RetryKey[businessKeys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, businessKeys.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            if (latestNonce[i] is not ulong nonce)
            {
                keys[i] = new RetryKey(businessKeys[i], 0, null, null);
                return;
            }

            int latest = held[i] - 1;
            if (retryFailed && (await ledger.GetTransactionsAsync(lane, nonce, nonce, ct).ConfigureAwait(false)).SingleOrDefault() is { } tx
                && (tx.RejectedError is not null || tx.State is TransactionState.Failed or TransactionState.NonceConsumedExternally))
            {
                keys[i] = new RetryKey(For(businessKeys[i], latest + 1), latest + 1, nonce, null);
                return;
            }

            keys[i] = new RetryKey(For(businessKeys[i], latest), latest, null, nonce);
        }).ConfigureAwait(false);
        return keys;
    }
}
