namespace StoFunctions.Pipeline.Ledger;

/// <summary>Rows of one lane that must change together (one entity-group transaction at most).</summary>
/// <param name="Transaction">The transaction row to replace (ETag-guarded), if any.</param>
/// <param name="NewAttempts">Attempt rows to insert.</param>
/// <param name="ChangedAttempts">Attempt rows to replace (ETag-guarded), e.g. a new <c>LastSent</c>.</param>
public sealed record LedgerWriteGroup(LedgerTransaction? Transaction, IReadOnlyList<LedgerAttempt> NewAttempts, IReadOnlyList<LedgerAttempt> ChangedAttempts)
{
    /// <summary>How many table actions the group needs.</summary>
    public int Count => (Transaction is null ? 0 : 1) + NewAttempts.Count + ChangedAttempts.Count;

    /// <summary>Just a transaction row.</summary>
    public static LedgerWriteGroup Of(LedgerTransaction tx) => new(tx, [], []);
}
