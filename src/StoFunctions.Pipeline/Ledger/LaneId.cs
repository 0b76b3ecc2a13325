using System.Globalization;
using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>One lane: a sender on a chain. Its ledger rows share the partition <see cref="PartitionKey"/>.</summary>
/// <param name="ChainId">The EIP-155 chain id.</param>
/// <param name="Sender">The sending address.</param>
public readonly record struct LaneId(long ChainId, Address Sender)
{
    /// <summary><c>{chainId}-{sender in lower-case hex}</c>.</summary>
    public string PartitionKey => ChainId.ToString(CultureInfo.InvariantCulture) + "-" + Sender.ToLowerHex();

    /// <inheritdoc />
    public override string ToString() => PartitionKey;
}
