using System.Numerics;

namespace StoFunctions.Testing;

/// <summary>What <see cref="RpcFaultProxy"/> needs to know about a raw transaction to apply geth's replacement rule.</summary>
/// <param name="Sender">The recovered sender, lower-case hex.</param>
/// <param name="Nonce">The transaction nonce.</param>
/// <param name="MaxFeePerGas">EIP-1559 fee cap (the gas price of a legacy transaction).</param>
/// <param name="MaxPriorityFeePerGas">EIP-1559 tip (the gas price of a legacy transaction).</param>
/// <param name="Hash">The transaction hash, lower-case hex.</param>
public sealed record PoolTransaction(string Sender, ulong Nonce, BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas, string Hash);
