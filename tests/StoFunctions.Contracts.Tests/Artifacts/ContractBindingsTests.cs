using System.Diagnostics;
using System.Reflection;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Testing;

namespace StoFunctions.Contracts.Tests.Artifacts;

/// <summary>
/// The committed bindings (contracts/bindings.js output) must match the ABI compiled into this build: a contract
/// change without regenerating them fails here rather than at a call site.
/// </summary>
public sealed class ContractBindingsTests
{
    public static TheoryData<string> Contracts { get; } = new(
        "SecurityToken", "KycRegistry", "LockupModule", "MaxHoldersModule", "PlainToken",
        "PayoutDistributor", "Ballot", "TestModule", "TestReference", "TestStablecoin", "EffectOracle", "TransferSpammer");

    [Theory]
    [MemberData(nameof(Contracts))]
    public void EveryAbiFunctionAndEvent_HasATypedBinding_WithTheSameArity(string contract)
    {
        Type binding = typeof(ContractArtifact).Assembly.GetType($"StoFunctions.Contracts.{contract}Contract")
            ?? throw new Xunit.Sdk.XunitException($"no binding class for {contract}: run contracts/bindings.js");
        ContractAbi abi = (ContractAbi)binding.GetProperty("Abi", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)!.GetValue(null)!;
        MethodInfo[] own = binding.GetMethods(BindingFlags.Public | BindingFlags.Static);
        MethodInfo[] methods = [.. own, .. SharedMembers(binding)];

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

        MethodInfo deploy = own.Single(m => m.Name == "Deploy");
        Assert.Equal(abi.Constructor?.Inputs.Count ?? 0, deploy.GetParameters().Length);
    }

    [Fact]
    public void CommittedBindings_AreWhatTheGeneratorWritesForTheCompiledArtifacts()
    {
        // The build's own artifacts (embedded) go to the generator, which writes to a scratch folder; every file it
        // writes must be committed byte for byte, and no generated file may be committed that it no longer writes.
        string scratch = Directory.CreateTempSubdirectory("sto-bindings-").FullName;
        try
        {
            string artifacts = Directory.CreateDirectory(Path.Combine(scratch, "artifacts")).FullName;
            foreach (string name in ContractArtifact.Names)
            {
                using Stream resource = typeof(ContractArtifact).Assembly.GetManifestResourceStream($"StoFunctions.Contracts.Artifacts.{name}.json")!;
                using FileStream file = File.Create(Path.Combine(artifacts, name + ".json"));
                resource.CopyTo(file);
            }

            string generated = Path.Combine(scratch, "bindings");
            RunGenerator(artifacts, generated);

            string committed = Path.Combine(RepoPaths.Root, "src", "StoFunctions.Contracts");
            string[] expected = GeneratedFiles(generated);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, GeneratedFiles(committed));
            foreach (string relative in expected)
            {
                Assert.True(
                    File.ReadAllText(Path.Combine(generated, relative)) == File.ReadAllText(Path.Combine(committed, relative)),
                    $"src/StoFunctions.Contracts/{relative} differs from the generator's output: run " +
                    "'node contracts/compile.js /tmp/out && node contracts/bindings.js /tmp/out' and commit the result.");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public void SecurityToken_FitsTheEip170CodeSizeLimit()
    {
        // EIP-170: 24,576 bytes of runtime code; the optimizer setting (200 runs) is chosen to stay below it.
        int size = (ContractArtifact.Load("SecurityToken").DeployedBytecode.Length - 2) / 2;
        Assert.InRange(size, 1, 24_576);
    }

    // Members generated once in a shared binding reach a contract's binding as C# static extension members: the
    // compiler emits them as generic static methods of the shared binding, constrained to its marker interface.
    private static IEnumerable<MethodInfo> SharedMembers(Type binding)
    {
        Type[] markers = binding.GetInterfaces();
        return typeof(ContractArtifact).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.IsGenericMethodDefinition && m.GetGenericArguments() is [Type receiver]
                && receiver.GetGenericParameterConstraints().Any(markers.Contains));
    }

    private static string[] GeneratedFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadLines(f).FirstOrDefault()?.StartsWith("// <auto-generated> by contracts/bindings.js", StringComparison.Ordinal) == true)
            .Select(f => Path.GetRelativePath(folder, f))
            .Order(StringComparer.Ordinal)];

    private static void RunGenerator(string artifacts, string output)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "contracts", "bindings.js"));
        start.ArgumentList.Add(artifacts);
        start.ArgumentList.Add(output);
        using Process node = Process.Start(start) ?? throw new InvalidOperationException("could not start node for contracts/bindings.js");
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        string stderr = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"node contracts/bindings.js exited with {node.ExitCode}: {stderr}{stdout.Result}");
    }
}
