using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Contracts.Artifacts;

/// <summary>
/// What every generated binding (<c>contracts/bindings.js</c>) has in common: its contract's compiled artifact,
/// the parsed ABI and revert decoding, once per binding type (<c>SecurityTokenContract.Abi</c>). The contract is
/// the binding's name without the <c>Contract</c> suffix.
/// </summary>
/// <typeparam name="TContract">The binding itself.</typeparam>
public abstract class ContractBinding<TContract>
    where TContract : ContractBinding<TContract>
{
    private protected ContractBinding()
    {
    }

    /// <summary>The compiled artifact (ABI, creation and runtime bytecode).</summary>
    public static ContractArtifact Artifact { get; } = ContractArtifact.Load(typeof(TContract).Name[..^"Contract".Length]);

    /// <summary>The parsed ABI, including inherited OpenZeppelin errors and events.</summary>
    public static ContractAbi Abi { get; } = ContractAbi.FromJson(Artifact.AbiJson);

    /// <summary>Decodes revert data against this contract's custom errors (and Error(string)/Panic).</summary>
    public static RevertReason DecodeRevert(ReadOnlySpan<byte> revertData) => Abi.DecodeRevert(revertData);
}
