namespace StoFunctions.Ethereum.Tests.Differential;

/// <summary>
/// The Nethereum differential tests run one after another: they switch Nethereum's process-wide
/// <c>EthECKey.SignRecoverable</c> and must not see each other's setting.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NethereumCollection
{
    public const string Name = "Nethereum differential";
}
