using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>One ERC-20 <c>Transfer(from, to, value)</c> log with its position and block.</summary>
/// <param name="Block">Block number.</param>
/// <param name="LogIndex">Index of the log in its block.</param>
/// <param name="TransactionHash">Transaction that emitted it.</param>
/// <param name="BlockHash">Hash of the block it was read from (reorg detection).</param>
/// <param name="From">Sender; zero for a mint.</param>
/// <param name="To">Receiver; zero for a burn.</param>
/// <param name="Value">Raw amount.</param>
/// <param name="BlockTime">Block timestamp.</param>
public sealed record TransferLog(ulong Block, ulong LogIndex, Hash32 TransactionHash, Hash32 BlockHash, Address From, Address To, UInt256 Value, DateTimeOffset BlockTime)
{
    /// <summary>The events-partition RowKey: <c>{block:D12}-{logIndex:D6}</c>, which sorts in chain order.</summary>
    public string RowKey => EventKey(Block, LogIndex);

    /// <summary>The RowKey for (<paramref name="block"/>, <paramref name="logIndex"/>).</summary>
    public static string EventKey(ulong block, ulong logIndex) => $"{block:D12}-{logIndex:D6}";
}
