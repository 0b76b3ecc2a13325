namespace StoFunctions.Ethereum.Abi;

/// <summary>What a signature or JSON ABI entry declares.</summary>
internal enum AbiMemberKind
{
    Function,
    Event,
    Error,
    Constructor,
}
