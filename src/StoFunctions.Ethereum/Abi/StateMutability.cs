namespace StoFunctions.Ethereum.Abi;

/// <summary>A function's <c>stateMutability</c> as solc reports it in the JSON ABI.</summary>
public enum StateMutability
{
    /// <summary>Reads nothing from the chain.</summary>
    Pure,

    /// <summary>Reads state but does not change it (callable with <c>eth_call</c>).</summary>
    View,

    /// <summary>Changes state and rejects ether.</summary>
    NonPayable,

    /// <summary>Changes state and accepts ether.</summary>
    Payable,
}
