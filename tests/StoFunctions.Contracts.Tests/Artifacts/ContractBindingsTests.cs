using System.Reflection;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Contracts.Tests.Artifacts;

/// <summary>
/// The committed bindings (contracts/bindings.js output) must match the ABI compiled into this build: a contract
/// change without regenerating them fails here rather than at a call site.
/// </summary>
public sealed class ContractBindingsTests
{
    public static TheoryData<string> Contracts { get; } = new(
        "SecurityToken", "KycRegistry", "LockupModule", "MaxHoldersModule", "PlainToken",
        "PayoutDistributor", "Ballot", "TestModule", "TestReference", "TestStablecoin");

    [Theory]
    [MemberData(nameof(Contracts))]
    public void EveryAbiFunctionAndEvent_HasATypedBinding_WithTheSameArity(string contract)
    {
        Type binding = typeof(ContractArtifact).Assembly.GetType($"StoFunctions.Contracts.{contract}Contract")
            ?? throw new Xunit.Sdk.XunitException($"no binding class for {contract}: run contracts/bindings.js");
        ContractAbi abi = (ContractAbi)binding.GetProperty("Abi")!.GetValue(null)!;
        MethodInfo[] methods = binding.GetMethods(BindingFlags.Public | BindingFlags.Static);

        foreach (AbiFunction function in abi.Functions)
        {
            string name = char.ToUpperInvariant(function.Name[0]) + function.Name[1..];
            Assert.True(
                methods.Any(m => m.Name == name && m.ReturnType == typeof(byte[]) && m.GetParameters().Length == function.Inputs.Count),
                $"{contract}: no encoder {name} with {function.Inputs.Count} parameters for {function.Signature}");
        }

        foreach (AbiEvent e in abi.Events)
        {
            Assert.Contains(methods, m => m.Name == $"Decode{e.Name}Event");
        }

        MethodInfo deploy = methods.Single(m => m.Name == "Deploy");
        Assert.Equal(abi.Constructor?.Inputs.Count ?? 0, deploy.GetParameters().Length);
    }

    [Fact]
    public void SecurityToken_FitsTheEip170CodeSizeLimit()
    {
        // EIP-170: 24,576 bytes of runtime code; the optimizer setting (200 runs) is chosen to stay below it.
        int size = (ContractArtifact.Load("SecurityToken").DeployedBytecode.Length - 2) / 2;
        Assert.InRange(size, 1, 24_576);
    }
}
