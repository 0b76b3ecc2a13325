namespace StoFunctions.Contracts.Artifacts;

/// <summary>
/// The Solidity standard-JSON input of the compilation that built every embedded artifact (written by
/// <c>contracts/compile.js</c>: the compiled sources, the imported OpenZeppelin sources and the settings), which an
/// explorer compiles to verify a deployed contract, and the compiler version in the form explorers ask for.
/// </summary>
public static class StandardJsonInput
{
    private const string ResourceName = "StoFunctions.Contracts.Sources.standard-input.json";

    private static readonly Lazy<string> s_json = new(() =>
    {
        using Stream stream = typeof(StandardJsonInput).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The standard-JSON input ({ResourceName}) is not embedded; rebuild StoFunctions.Contracts (contracts/compile.js writes it).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().TrimEnd();
    });

    /// <summary>The input as compiled, one JSON object.</summary>
    public static string Json => s_json.Value;

    /// <summary>
    /// <paramref name="compiler"/> (an artifact's <see cref="ContractArtifact.Compiler"/>, e.g.
    /// <c>solc 0.8.30+commit.73712a01.Emscripten.clang</c>) as explorers name releases: <c>v0.8.30+commit.73712a01</c>.
    /// solc-js builds are the release compiled to WebAssembly, so the platform suffix is not part of the version.
    /// </summary>
    public static string ExplorerCompilerVersion(string compiler)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        string version = compiler.StartsWith("solc ", StringComparison.Ordinal) ? compiler[5..] : compiler;
        int commit = version.IndexOf("+commit.", StringComparison.Ordinal);
        if (commit >= 0)
        {
            int end = version.IndexOf('.', commit + "+commit.".Length);
            version = end < 0 ? version : version[..end];
        }

        return "v" + version;
    }
}
