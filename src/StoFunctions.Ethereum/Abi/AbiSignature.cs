using System.Text;

namespace StoFunctions.Ethereum.Abi;

/// <summary>The parts of a parsed human-readable signature, before it becomes a function, event, error or constructor.</summary>
internal sealed record AbiSignature(
    AbiMemberKind Kind,
    string Name,
    IReadOnlyList<AbiParameter> Inputs,
    IReadOnlyList<AbiParameter> Outputs,
    StateMutability StateMutability,
    bool Anonymous)
{
    /// <summary>The canonical signature hashed into selectors and topics: <c>name(type1,type2)</c>, no spaces or names.</summary>
    public static string Canonical(string name, IReadOnlyList<AbiParameter> parameters)
    {
        var text = new StringBuilder(name).Append('(');
        for (int i = 0; i < parameters.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(parameters[i].Type.CanonicalName);
        }

        return text.Append(')').ToString();
    }

    /// <summary>The parameter list as a human-readable signature shows it, with names and <c>indexed</c>.</summary>
    public static string Describe(IReadOnlyList<AbiParameter> parameters) =>
        "(" + string.Join(", ", parameters.Select(p => p.ToString())) + ")";

    /// <summary>keccak256 of the canonical signature's ASCII bytes.</summary>
    public static Hash32 Hash(string canonical) => Keccak256.Hash(Encoding.ASCII.GetBytes(canonical));

    public static void RequireName(string name, string what)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or '$') || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '$')))
        {
            throw new AbiException($"'{name}' is not a valid {what} name: use letters, digits, '_' or '$', not starting with a digit.");
        }
    }
}
