namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// One named parameter of a function, event, error or tuple: its name (may be empty), its type and, for
/// event parameters, whether it is <c>indexed</c> (stored in a topic rather than the log data).
/// </summary>
public sealed class AbiParameter
{
    /// <summary>Creates a parameter.</summary>
    public AbiParameter(string name, AbiType type, bool indexed = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        Type = type;
        Indexed = indexed;
    }

    /// <summary>The parameter's name, or an empty string when it has none.</summary>
    public string Name { get; }

    /// <summary>The parameter's ABI type.</summary>
    public AbiType Type { get; }

    /// <summary>True for an event parameter stored in a topic.</summary>
    public bool Indexed { get; }

    /// <summary>The type, <c>indexed</c> and name as in a human-readable signature, e.g. <c>address indexed from</c>.</summary>
    public override string ToString() =>
        Type.CanonicalName + (Indexed ? " indexed" : string.Empty) + (Name.Length > 0 ? " " + Name : string.Empty);
}
