namespace StoFunctions.Ethereum.Rpc;

/// <summary>The transaction-like object of <c>eth_call</c> and <c>eth_estimateGas</c>. Unset members are omitted.</summary>
public sealed record CallRequest
{
    /// <summary>The sender (matters for <c>msg.sender</c> checks and balance).</summary>
    public Address? From { get; init; }

    /// <summary>The contract called; null to simulate a deployment.</summary>
    public Address? To { get; init; }

    /// <summary>Call data (selector + arguments) or creation bytecode.</summary>
    public byte[]? Data { get; init; }

    /// <summary>Wei sent with the call.</summary>
    public UInt256? Value { get; init; }

    /// <summary>Gas limit for the simulation.</summary>
    public ulong? Gas { get; init; }

    /// <summary>Legacy gas price.</summary>
    public UInt256? GasPrice { get; init; }

    /// <summary>EIP-1559 fee cap.</summary>
    public UInt256? MaxFeePerGas { get; init; }

    /// <summary>EIP-1559 priority fee.</summary>
    public UInt256? MaxPriorityFeePerGas { get; init; }
}
