using System.Text.Json;

namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// Reads a JSON ABI as solc emits it (https://docs.soliditylang.org/en/latest/abi-spec.html#json): an array of
/// function, constructor, event, error, fallback and receive entries. Errors name the JSON path of the bad entry.
/// </summary>
internal static class AbiJsonReader
{
    public static ContractAbi Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new AbiException($"The JSON ABI is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;

            // Hardhat/Foundry artifacts wrap the array in an object with an "abi" property.
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("abi", out JsonElement inner))
            {
                root = inner;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new AbiException($"The JSON ABI must be an array of entries (or an object with an \"abi\" array), not a {root.ValueKind}.");
            }

            var functions = new List<AbiFunction>();
            var events = new List<AbiEvent>();
            var errors = new List<AbiError>();
            AbiConstructor? constructor = null;
            int index = 0;
            foreach (JsonElement entry in root.EnumerateArray())
            {
                string path = $"abi[{index++}]";
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    throw new AbiException($"{path} must be an object, not a {entry.ValueKind}.");
                }

                string kind = OptionalString(entry, "type", path) ?? "function";
                try
                {
                    switch (kind)
                    {
                        case "function":
                            functions.Add(new AbiFunction(RequiredString(entry, "name", path), Parameters(entry, "inputs", path, false), Parameters(entry, "outputs", path, false), Mutability(entry, path)));
                            break;
                        case "event":
                            events.Add(new AbiEvent(RequiredString(entry, "name", path), Parameters(entry, "inputs", path, true), entry.TryGetProperty("anonymous", out JsonElement anon) && anon.ValueKind == JsonValueKind.True));
                            break;
                        case "error":
                            errors.Add(new AbiError(RequiredString(entry, "name", path), Parameters(entry, "inputs", path, false)));
                            break;
                        case "constructor":
                            if (constructor is not null)
                            {
                                throw new AbiException($"{path} is a second constructor; a contract has at most one.");
                            }

                            constructor = new AbiConstructor(Parameters(entry, "inputs", path, false), Mutability(entry, path));
                            break;
                        case "fallback" or "receive":
                            // Neither has a selector or parameters to encode.
                            break;
                        default:
                            throw new AbiException($"{path}.type is '{kind}'; expected function, constructor, event, error, fallback or receive.");
                    }
                }
                catch (AbiException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
                {
                    throw new AbiException($"{path} ({kind}): {e.Message}", e);
                }
            }

            return new ContractAbi(functions, events, errors, constructor);
        }
    }

    private static List<AbiParameter> Parameters(JsonElement entry, string property, string path, bool allowIndexed)
    {
        var parameters = new List<AbiParameter>();
        if (!entry.TryGetProperty(property, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return parameters;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new AbiException($"{path}.{property} must be an array, not a {list.ValueKind}.");
        }

        int index = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            parameters.Add(Parameter(item, $"{path}.{property}[{index++}]", allowIndexed));
        }

        return parameters;
    }

    private static AbiParameter Parameter(JsonElement item, string path, bool allowIndexed)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new AbiException($"{path} must be an object with 'name' and 'type', not a {item.ValueKind}.");
        }

        string typeText = RequiredString(item, "type", path);
        AbiType? tuple = null;
        if (typeText.StartsWith("tuple", StringComparison.Ordinal))
        {
            if (!item.TryGetProperty("components", out JsonElement components) || components.ValueKind != JsonValueKind.Array)
            {
                throw new AbiException($"{path} has type '{typeText}' but no 'components' array describing the tuple.");
            }

            tuple = AbiType.Tuple(Parameters(item, "components", path, false));
        }

        AbiType type;
        try
        {
            type = AbiTextParser.ParseType(typeText, tuple);
        }
        catch (AbiException e)
        {
            throw new AbiException($"{path}.type: {e.Message}", e);
        }

        bool indexed = item.TryGetProperty("indexed", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
        if (indexed && !allowIndexed)
        {
            throw new AbiException($"{path} is marked indexed, which only event parameters may be.");
        }

        return new AbiParameter(OptionalString(item, "name", path) ?? string.Empty, type, indexed);
    }

    private static StateMutability Mutability(JsonElement entry, string path)
    {
        string? text = OptionalString(entry, "stateMutability", path);
        if (text is null)
        {
            // Pre-0.4.16 ABIs carry 'constant' and 'payable' flags instead.
            bool constant = entry.TryGetProperty("constant", out JsonElement c) && c.ValueKind == JsonValueKind.True;
            bool payable = entry.TryGetProperty("payable", out JsonElement p) && p.ValueKind == JsonValueKind.True;
            return constant ? StateMutability.View : payable ? StateMutability.Payable : StateMutability.NonPayable;
        }

        return text switch
        {
            "pure" => StateMutability.Pure,
            "view" => StateMutability.View,
            "nonpayable" => StateMutability.NonPayable,
            "payable" => StateMutability.Payable,
            _ => throw new AbiException($"{path}.stateMutability is '{text}'; expected pure, view, nonpayable or payable."),
        };
    }

    private static string RequiredString(JsonElement entry, string property, string path) =>
        OptionalString(entry, property, path) ?? throw new AbiException($"{path} has no '{property}'.");

    private static string? OptionalString(JsonElement entry, string property, string path)
    {
        if (!entry.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new AbiException($"{path}.{property} must be a string, not a {value.ValueKind}.");
    }
}
