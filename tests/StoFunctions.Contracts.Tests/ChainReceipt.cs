using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests;

/// <summary>The parts of a transaction receipt the contract tests assert on.</summary>
public sealed record ChainReceipt(string TransactionHash, bool Success, long GasUsed, Address? ContractAddress, IReadOnlyList<ChainLog> Logs)
{
    /// <summary>The logs whose topic0 is <paramref name="topic"/>, in order.</summary>
    public IEnumerable<ChainLog> LogsWith(Hash32 topic) => Logs.Where(l => l.Topics.Count > 0 && l.Topics[0] == topic);
}
