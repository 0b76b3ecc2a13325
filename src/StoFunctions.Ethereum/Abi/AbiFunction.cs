namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// A contract function: encodes calls (4-byte selector + arguments) and decodes their return data. Parse one from
/// a human-readable signature (<c>function transfer(address to, uint256 amount) returns (bool)</c>) or load it from
/// a JSON ABI with <see cref="ContractAbi.FromJson"/>.
/// </summary>
public sealed class AbiFunction
{
    private readonly byte[] _selector;

    /// <summary>Creates a function from its parts.</summary>
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter>? outputs = null, StateMutability stateMutability = StateMutability.NonPayable)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        AbiSignature.RequireName(name, "function");
        Name = name;
        Inputs = inputs.ToArray();
        Outputs = outputs?.ToArray() ?? [];
        StateMutability = stateMutability;
        Signature = AbiSignature.Canonical(name, Inputs);
        _selector = new byte[4];
        AbiSignature.Hash(Signature).ToArray().AsSpan(0, 4).CopyTo(_selector);
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The return values.</summary>
    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>Whether the function reads or changes state and accepts ether.</summary>
    public StateMutability StateMutability { get; }

    /// <summary>The canonical signature, e.g. <c>transfer(address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>The first four bytes of keccak256(<see cref="Signature"/>).</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>The selector as 0x-prefixed hex, e.g. <c>0xa9059cbb</c>.</summary>
    public string SelectorHex => Hex.Encode(_selector);

    /// <summary>Parses a human-readable function signature.</summary>
    /// <exception cref="AbiException">The text is not a function signature; the message names the problem and its offset.</exception>
    public static AbiFunction Parse(string signature)
    {
        AbiSignature parsed = AbiTextParser.ParseSignature(signature);
        if (parsed.Kind != AbiMemberKind.Function)
        {
            throw new AbiException($"\"{signature}\" declares {parsed.Kind.ToString().ToLowerInvariant()} '{parsed.Name}', not a function.");
        }

        return new AbiFunction(parsed.Name, parsed.Inputs, parsed.Outputs, parsed.StateMutability);
    }

    /// <summary>Encodes a call: selector followed by the encoded arguments.</summary>
    /// <exception cref="AbiException">An argument does not fit its parameter; the message names it.</exception>
    public byte[] EncodeCall(params ReadOnlySpan<object?> arguments) =>
        AbiCodec.EncodeWithPrefix(_selector, Inputs, arguments);

    /// <summary>Encodes a call from a list of arguments.</summary>
    public byte[] EncodeCall(IReadOnlyList<object?> arguments) => EncodeCall(arguments.ToArray().AsSpan());

    /// <summary>Decodes call data produced for this function (selector checked) into its arguments.</summary>
    /// <exception cref="AbiException">The selector differs or the arguments are malformed.</exception>
    public object[] DecodeCall(ReadOnlySpan<byte> callData)
    {
        if (callData.Length < 4 || !callData[..4].SequenceEqual(_selector))
        {
            string actual = callData.Length < 4 ? $"only {callData.Length} bytes" : $"selector {Hex.Encode(callData[..4])}";
            throw new AbiException($"the call data has {actual} but {Signature} has selector {SelectorHex}", Signature, 0);
        }

        return AbiCodec.Decode(Inputs, callData[4..], positionBias: 4);
    }

    /// <summary>Decodes the return data of a call to this function.</summary>
    /// <exception cref="AbiException">The data is malformed; the message names the output and byte offset.</exception>
    public object[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiCodec.Decode(Outputs, returnData);

    /// <summary>Encodes return values (what the contract would return).</summary>
    public byte[] EncodeOutput(params ReadOnlySpan<object?> values) => AbiCodec.Encode(Outputs, values);

    /// <summary>The human-readable signature, e.g. <c>function transfer(address to, uint256 amount) returns (bool)</c>.</summary>
    public override string ToString()
    {
        string mutability = StateMutability switch
        {
            StateMutability.View => " view",
            StateMutability.Pure => " pure",
            StateMutability.Payable => " payable",
            _ => string.Empty,
        };
        string returns = Outputs.Count > 0 ? " returns " + AbiSignature.Describe(Outputs) : string.Empty;
        return "function " + Name + AbiSignature.Describe(Inputs) + mutability + returns;
    }
}
