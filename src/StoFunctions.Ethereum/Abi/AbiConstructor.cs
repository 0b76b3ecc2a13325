namespace StoFunctions.Ethereum.Abi;

/// <summary>A contract constructor: deployment data is the creation bytecode followed by the ABI-encoded arguments.</summary>
public sealed class AbiConstructor
{
    /// <summary>Creates a constructor from its parameters.</summary>
    public AbiConstructor(IReadOnlyList<AbiParameter> inputs, StateMutability stateMutability = StateMutability.NonPayable)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Inputs = inputs.ToArray();
        StateMutability = stateMutability;
    }

    /// <summary>The constructor's parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary><see cref="StateMutability.Payable"/> when the constructor accepts ether.</summary>
    public StateMutability StateMutability { get; }

    /// <summary>Parses <c>constructor(uint256 limit)</c>.</summary>
    /// <exception cref="AbiException">The text is not a constructor signature.</exception>
    public static AbiConstructor Parse(string signature)
    {
        AbiSignature parsed = AbiTextParser.ParseSignature(signature);
        if (parsed.Kind != AbiMemberKind.Constructor)
        {
            throw new AbiException($"\"{signature}\" declares {parsed.Kind.ToString().ToLowerInvariant()} '{parsed.Name}', not a constructor.");
        }

        return new AbiConstructor(parsed.Inputs, parsed.StateMutability);
    }

    /// <summary>The ABI-encoded constructor arguments alone.</summary>
    public byte[] EncodeArguments(params ReadOnlySpan<object?> arguments) => AbiCodec.Encode(Inputs, arguments);

    /// <summary>The data of a contract-creation transaction: <paramref name="bytecode"/> followed by the encoded arguments.</summary>
    /// <exception cref="AbiException">An argument does not fit its parameter, or the bytecode is empty.</exception>
    public byte[] EncodeDeployment(ReadOnlySpan<byte> bytecode, params ReadOnlySpan<object?> arguments)
    {
        if (bytecode.IsEmpty)
        {
            throw new AbiException("the creation bytecode is empty; pass the contract's compiled 'bytecode' (not an interface or abstract contract).");
        }

        return AbiCodec.EncodeWithPrefix(bytecode, Inputs, arguments);
    }

    /// <summary>The human-readable signature, e.g. <c>constructor(uint256 limit)</c>.</summary>
    public override string ToString() => "constructor" + AbiSignature.Describe(Inputs) + (StateMutability == StateMutability.Payable ? " payable" : string.Empty);
}
