using System.Globalization;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// Turns the transactions found on chain for the nonces of a gap (nonces the chain consumed but the ledger has no
/// row for) into ledger rows (pure). A transaction with a business-key tag becomes the row of that key (its
/// idempotency row is rebuilt from the tag's hash); one with the filler tag a filler row; one without a tag
/// (another wallet with the same key) and a nonce whose transaction was not found occupy their nonce as
/// NonceConsumedExternally, so nothing is ever planned at them again.
/// </summary>
public static class GapRecovery
{
    /// <summary>The rows of nonces [<paramref name="from"/>, <paramref name="to"/>) in nonce order.</summary>
    /// <param name="sender">The lane's sender (the filler's recipient).</param>
    /// <param name="from">The first nonce of the gap.</param>
    /// <param name="to">One past the last nonce of the gap.</param>
    /// <param name="found">The sender's mined transactions by nonce, each with its receipt.</param>
    /// <param name="head">The head block when the receipts were read.</param>
    /// <param name="confirmations">K: a receipt at depth ≥ K is terminal, a shallower one Mined (the lane confirms it).</param>
    /// <param name="scanned">The blocks that were searched, for the error of a nonce not found.</param>
    /// <param name="now">The rows' creation time.</param>
    public static List<RecoveredRow> Rows(Address sender, ulong from, ulong to, IReadOnlyDictionary<ulong, (RpcTransaction Transaction, TransactionReceipt Receipt)> found, ulong head, int confirmations, string scanned, DateTimeOffset now)
    {
        var rows = new List<RecoveredRow>();
        for (ulong nonce = from; nonce < to; nonce++)
        {
            var row = new LedgerTransaction { Nonce = nonce, RecoveredFromChain = true, CreatedTime = now, UpdatedTime = now, To = sender };
            if (!found.TryGetValue(nonce, out (RpcTransaction Transaction, TransactionReceipt Receipt) hit))
            {
                row.State = TransactionState.NonceConsumedExternally;
                row.IsFiller = true;
                row.Note = "nonce consumed on chain; its transaction was not found by reconciliation";
                row.Error = string.Create(CultureInfo.InvariantCulture, $"nonce {nonce} was consumed on chain but no transaction of {sender} with it was found in blocks {scanned}; an operator should look it up");
                rows.Add(new RecoveredRow(row, null));
                continue;
            }

            (RpcTransaction tx, TransactionReceipt receipt) = hit;
            row.To = tx.To;
            row.Data = tx.Input;
            row.Value = tx.Value;
            row.GasLimit = tx.Gas;
            row.LatestHash = tx.Hash;
            row.MinedHash = tx.Hash;
            row.BlockNumber = receipt.BlockNumber;
            row.BlockHash = receipt.BlockHash;
            row.ContractAddress = receipt.ContractAddress;
            byte[]? keyHash = null;
            if (BusinessKeyTag.TryReadKeyHash(tx.Input, out byte[] hash))
            {
                keyHash = hash;
                row.Note = "recovered from chain: business-key tag " + Convert.ToHexStringLower(hash);
                row.State = StateOf(receipt, head, confirmations);
            }
            else if (BusinessKeyTag.IsFiller(tx.Input))
            {
                row.IsFiller = true;
                row.Note = "recovered from chain: no-op filler";
                row.State = StateOf(receipt, head, confirmations);
            }
            else
            {
                row.IsFiller = true;
                row.State = TransactionState.NonceConsumedExternally;
                row.Note = "recovered from chain: foreign transaction without business-key tag";
                row.Error = string.Create(CultureInfo.InvariantCulture, $"nonce {nonce} was consumed by foreign transaction {tx.Hash} in block {receipt.BlockNumber} (no business-key tag)");
            }

            if (row.State == TransactionState.Failed)
            {
                row.Error = "reverted (recovered from chain; the reason was not replayed)";
            }

            rows.Add(new RecoveredRow(row, keyHash));
        }

        return rows;
    }

    private static TransactionState StateOf(TransactionReceipt receipt, ulong head, int confirmations) =>
        head + 1 < receipt.BlockNumber + (ulong)confirmations ? TransactionState.Mined
        : receipt.Succeeded ? TransactionState.Confirmed
        : TransactionState.Failed;
}
