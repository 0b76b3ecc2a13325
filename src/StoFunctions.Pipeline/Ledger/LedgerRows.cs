using System.Globalization;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Fees;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>Row keys and the mapping between ledger objects and table entities.</summary>
internal static class LedgerRows
{
    public const string AccountRow = "account";

    // Table Storage keeps a Binary property to 64 KiB; EIP-3860 limits init code to 48 KiB, so any valid
    // creation fits, and larger calldata is refused at planning instead of failing a batch later.
    public const int MaxDataBytes = 64 * 1024;

    public static string TransactionRow(ulong nonce) => "tx-" + nonce.ToString("D10", CultureInfo.InvariantCulture);

    public static string AttemptRow(ulong nonce, int number) =>
        "at-" + nonce.ToString("D10", CultureInfo.InvariantCulture) + "-" + number.ToString("D3", CultureInfo.InvariantCulture);

    public static string AttemptPrefix(ulong nonce) => "at-" + nonce.ToString("D10", CultureInfo.InvariantCulture) + "-";

    /// <summary>
    /// The idempotency row of a business key known only by the tag of a transaction on chain (invariant 0): it holds
    /// <paramref name="nonce"/>; the key's string, content and command are unknown.
    /// </summary>
    public static TableEntity RecoveredKeyRow(LaneId lane, ReadOnlySpan<byte> keyHash, ulong nonce) =>
        new(lane.PartitionKey, CommandKeys.BusinessKeyRowOf(keyHash))
        {
            ["Nonce"] = (long)nonce,
            ["CommandId"] = "",
            ["RecoveredFromChain"] = true,
        };

    public static TableEntity ToEntity(LaneId lane, LedgerAccount account)
    {
        var e = new TableEntity(lane.PartitionKey, AccountRow) { ETag = account.ETag };
        e["NextNonce"] = (long)account.NextNonce;
        e["FirstNonce"] = (long)account.FirstNonce;
        e["OpenFrom"] = (long)account.OpenFrom;
        e["Restarts"] = account.Restarts;
        return e;
    }

    public static LedgerAccount ToAccount(TableEntity e) => new()
    {
        NextNonce = (ulong)e.GetInt64("NextNonce")!.Value,
        FirstNonce = (ulong)e.GetInt64("FirstNonce")!.Value,
        OpenFrom = (ulong)e.GetInt64("OpenFrom")!.Value,
        Restarts = e.GetInt32("Restarts") ?? 0,
        ETag = e.ETag,
    };

    public static TableEntity ToEntity(LaneId lane, LedgerTransaction tx)
    {
        var e = new TableEntity(lane.PartitionKey, tx.RowKey) { ETag = tx.ETag };
        e["Nonce"] = (long)tx.Nonce;
        e["State"] = tx.State.ToString();
        e["To"] = tx.To?.ToString();
        e["Data"] = tx.Data;
        e["Value"] = tx.Value.ToString();
        e["GasLimit"] = (long)tx.GasLimit;
        e["Note"] = tx.Note;
        e["CommandId"] = tx.CommandId;
        e["IntentIndex"] = tx.IntentIndex;
        e["BusinessKey"] = tx.BusinessKey;
        e["OutputName"] = tx.OutputName;
        e["RejectedError"] = tx.RejectedError;
        e["IsFiller"] = tx.IsFiller;
        e["RecoveredFromChain"] = tx.RecoveredFromChain ? true : null;
        e["Attempts"] = tx.Attempts;
        e["LatestHash"] = tx.LatestHash?.ToString();
        e["MinedHash"] = tx.MinedHash?.ToString();
        e["BlockNumber"] = tx.BlockNumber is ulong b ? (long)b : null;
        e["BlockHash"] = tx.BlockHash?.ToString();
        e["ContractAddress"] = tx.ContractAddress?.ToString();
        e["Error"] = tx.Error;
        e["CreatedTime"] = tx.CreatedTime;
        e["UpdatedTime"] = tx.UpdatedTime;
        return e;
    }

    public static LedgerTransaction ToTransaction(TableEntity e) => new()
    {
        Nonce = (ulong)e.GetInt64("Nonce")!.Value,
        State = Enum.Parse<TransactionState>(e.GetString("State")!),
        To = e.GetString("To") is { } to ? Address.Parse(to) : null,
        Data = e.GetBinary("Data") ?? [],
        Value = UInt256.Parse(e.GetString("Value")!),
        GasLimit = (ulong)e.GetInt64("GasLimit")!.Value,
        Note = e.GetString("Note") ?? "",
        CommandId = e.GetString("CommandId") ?? "",
        IntentIndex = e.GetInt32("IntentIndex") ?? 0,
        BusinessKey = e.GetString("BusinessKey") ?? "",
        OutputName = e.GetString("OutputName"),
        RejectedError = e.GetString("RejectedError"),
        IsFiller = e.GetBoolean("IsFiller") ?? false,
        RecoveredFromChain = e.GetBoolean("RecoveredFromChain") ?? false,
        Attempts = e.GetInt32("Attempts") ?? 0,
        LatestHash = e.GetString("LatestHash") is { } lh ? Hash32.Parse(lh) : null,
        MinedHash = e.GetString("MinedHash") is { } h ? Hash32.Parse(h) : null,
        BlockNumber = e.GetInt64("BlockNumber") is long n ? (ulong)n : null,
        BlockHash = e.GetString("BlockHash") is { } bh ? Hash32.Parse(bh) : null,
        ContractAddress = e.GetString("ContractAddress") is { } ca ? Address.Parse(ca) : null,
        Error = e.GetString("Error"),
        CreatedTime = e.GetDateTimeOffset("CreatedTime") ?? default,
        UpdatedTime = e.GetDateTimeOffset("UpdatedTime") ?? default,
        ETag = e.ETag,
    };

    public static TableEntity ToEntity(LaneId lane, LedgerAttempt attempt)
    {
        var e = new TableEntity(lane.PartitionKey, attempt.RowKey) { ETag = attempt.ETag };
        e["Nonce"] = (long)attempt.Nonce;
        e["Number"] = attempt.Number;
        e["Raw"] = attempt.Raw;
        e["Hash"] = attempt.Hash.ToString();
        e["MaxFeePerGas"] = attempt.Fees.MaxFeePerGas.ToString();
        e["MaxPriorityFeePerGas"] = attempt.Fees.MaxPriorityFeePerGas.ToString();
        e["SignedTime"] = attempt.SignedTime;
        e["FirstSent"] = attempt.FirstSent;
        e["LastSent"] = attempt.LastSent;
        return e;
    }

    public static LedgerAttempt ToAttempt(TableEntity e) => new()
    {
        Nonce = (ulong)e.GetInt64("Nonce")!.Value,
        Number = e.GetInt32("Number")!.Value,
        Raw = e.GetBinary("Raw")!,
        Hash = Hash32.Parse(e.GetString("Hash")!),
        Fees = new FeePair(UInt256.Parse(e.GetString("MaxFeePerGas")!), UInt256.Parse(e.GetString("MaxPriorityFeePerGas")!)),
        SignedTime = e.GetDateTimeOffset("SignedTime")!.Value,
        FirstSent = e.GetDateTimeOffset("FirstSent"),
        LastSent = e.GetDateTimeOffset("LastSent"),
        ETag = e.ETag,
    };
}
