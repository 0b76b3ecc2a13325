using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Pipeline.Planning;

/// <summary>
/// A value a command's output carries from an event of its mined transactions, e.g. <c>snapshotId</c> from the
/// token's <c>Snapshot(id)</c> log: the chain assigns such ids when the transaction runs, so only the receipt knows them.
/// </summary>
/// <param name="Name">The member of <c>output</c>, e.g. <c>snapshotId</c>.</param>
/// <param name="Topic">The event's topic 0 (its signature hash).</param>
/// <param name="Read">Decodes the value from a matching log.</param>
public sealed record EventOutput(string Name, Hash32 Topic, Func<LogEntry, UInt256> Read);
