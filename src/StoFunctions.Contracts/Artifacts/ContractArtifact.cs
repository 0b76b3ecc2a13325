using System.Reflection;
using System.Text.Json;

namespace StoFunctions.Contracts.Artifacts;

/// <summary>
/// One compiled contract as produced by <c>contracts/compile.js</c> and embedded at build time:
/// its ABI (raw JSON), creation bytecode and deployed bytecode.
/// </summary>
public sealed record ContractArtifact(string ContractName, string SourceName, string Compiler, string AbiJson, string Bytecode, string DeployedBytecode)
{
    private const string ResourcePrefix = "StoFunctions.Contracts.Artifacts.";

    /// <summary>Names of every embedded contract artifact.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(ContractArtifact).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Loads the embedded artifact of <paramref name="contractName"/>.</summary>
    /// <exception cref="KeyNotFoundException">No contract of that name was compiled into this assembly.</exception>
    public static ContractArtifact Load(string contractName)
    {
        Assembly assembly = typeof(ContractArtifact).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(ResourcePrefix + contractName + ".json")
            ?? throw new KeyNotFoundException(
                $"No compiled artifact for contract '{contractName}'. Known: {string.Join(", ", Names)}. " +
                "Add its .sol file under contracts/src and rebuild.");
        using JsonDocument doc = JsonDocument.Parse(stream);
        JsonElement root = doc.RootElement;
        return new ContractArtifact(
            root.GetProperty("contractName").GetString()!,
            root.GetProperty("sourceName").GetString()!,
            root.GetProperty("compiler").GetString()!,
            root.GetProperty("abi").GetRawText(),
            root.GetProperty("bytecode").GetString()!,
            root.GetProperty("deployedBytecode").GetString()!);
    }
}
