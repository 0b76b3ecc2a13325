namespace StoFunctions.Pipeline.Ledger;

/// <summary>An intent whose business key already holds a transaction with other content (recipient or amount).</summary>
/// <param name="IntentIndex">The intent's index in its command.</param>
/// <param name="Field">Where the conflict is reported, e.g. <c>rows[3].externalId</c>; null: <c>businessKey</c>.</param>
/// <param name="BusinessKey">The business key both share.</param>
/// <param name="ExistingCommandId">The command that holds the key.</param>
/// <param name="ExistingNonce">The nonce the key holds.</param>
/// <param name="ExistingContent">The content stored with the key.</param>
/// <param name="NewContent">The content of the refused intent.</param>
public sealed record BusinessKeyConflict(int IntentIndex, string? Field, string BusinessKey, string ExistingCommandId, ulong ExistingNonce, string ExistingContent, string NewContent)
{
    /// <summary>The message of a 409 for this conflict: which command holds the key, with which values, and how to proceed.</summary>
    public string Message =>
        $"Business key '{BusinessKey}' already belongs to command {ExistingCommandId} (nonce {ExistingNonce}) with {ExistingContent}; this request has {NewContent}. "
        + "Send the same values to get that command's result, or use a new external id for a new transfer.";
}
