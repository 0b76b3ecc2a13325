using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Contracts.Artifacts;

/// <summary>
/// Every custom error of every contract compiled into this assembly (our contracts and the OpenZeppelin errors
/// they inherit), read from the embedded ABIs so a new <c>error</c> in a .sol file is decoded by name without
/// anyone editing a table. Used wherever revert data is shown: planning refusals, failed receipts and failed
/// estimates, whichever of our contracts raised it (a token's revert can come from a module it calls).
/// </summary>
public static class ContractErrors
{
    private static readonly Lazy<IReadOnlyDictionary<string, AbiError>> s_bySelector = new(Build);

    /// <summary>Selector (0x-prefixed lower-case hex) → error, over all embedded artifacts.</summary>
    public static IReadOnlyDictionary<string, AbiError> BySelector => s_bySelector.Value;

    /// <summary>Every known custom error, one per selector.</summary>
    public static IEnumerable<AbiError> All => BySelector.Values;

    /// <summary>Decodes revert data by name and arguments (<c>Error(string)</c>, <c>Panic</c>, or any of <see cref="All"/>); never throws.</summary>
    public static RevertReason Decode(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length >= 4 && BySelector.TryGetValue(Hex.Encode(revertData[..4]), out AbiError? error))
        {
            return RevertReason.Decode(revertData, [error]);
        }

        return RevertReason.Decode(revertData);
    }

    private static IReadOnlyDictionary<string, AbiError> Build()
    {
        var table = new Dictionary<string, AbiError>(StringComparer.Ordinal);
        foreach (string name in ContractArtifact.Names)
        {
            foreach (AbiError error in ContractAbi.FromJson(ContractArtifact.Load(name).AbiJson).Errors)
            {
                if (table.TryGetValue(error.SelectorHex, out AbiError? known) && known.Signature != error.Signature)
                {
                    // Two signatures with one selector cannot be told apart from revert data; refuse to guess.
                    throw new InvalidOperationException($"Custom errors {known.Signature} and {error.Signature} (in {name}) share selector {error.SelectorHex}; rename one of them in contracts/src.");
                }

                table[error.SelectorHex] = error;
            }
        }

        return table;
    }
}
