using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests;

/// <summary>One log of a receipt.</summary>
public sealed record ChainLog(Address Address, IReadOnlyList<Hash32> Topics, byte[] Data);
