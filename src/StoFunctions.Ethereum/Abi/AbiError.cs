namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// A Solidity custom error (<c>error TooLarge(uint256 value, uint256 limit)</c>): revert data is its 4-byte selector
/// followed by the ABI-encoded arguments, exactly like a call.
/// </summary>
public sealed class AbiError
{
    private readonly byte[] _selector;

    /// <summary>Creates an error from its parts.</summary>
    public AbiError(string name, IReadOnlyList<AbiParameter> inputs)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        AbiSignature.RequireName(name, "error");
        Name = name;
        Inputs = inputs.ToArray();
        Signature = AbiSignature.Canonical(name, Inputs);
        _selector = AbiSignature.Hash(Signature).ToArray()[..4];
    }

    /// <summary>Solidity's built-in <c>Error(string)</c>, raised by <c>require(cond, "reason")</c> and <c>revert("reason")</c>.</summary>
    public static AbiError ErrorString { get; } = new("Error", [new AbiParameter("message", AbiType.String)]);

    /// <summary>Solidity's built-in <c>Panic(uint256)</c>, raised by failed asserts, overflow, division by zero, …</summary>
    public static AbiError Panic { get; } = new("Panic", [new AbiParameter("code", AbiType.UInt256)]);

    /// <summary>The error name.</summary>
    public string Name { get; }

    /// <summary>The error's parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The canonical signature, e.g. <c>TooLarge(uint256,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>The first four bytes of keccak256(<see cref="Signature"/>).</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>The selector as 0x-prefixed hex.</summary>
    public string SelectorHex => Hex.Encode(_selector);

    /// <summary>Parses a human-readable error signature such as <c>error TooLarge(uint256 value, uint256 limit)</c>.</summary>
    /// <exception cref="AbiException">The text is not an error signature; the message names the problem and its offset.</exception>
    public static AbiError Parse(string signature)
    {
        AbiSignature parsed = AbiTextParser.ParseSignature(signature);
        if (parsed.Kind != AbiMemberKind.Error)
        {
            throw new AbiException($"\"{signature}\" declares {parsed.Kind.ToString().ToLowerInvariant()} '{parsed.Name}', not an error; start it with 'error'.");
        }

        return new AbiError(parsed.Name, parsed.Inputs);
    }

    /// <summary>Encodes revert data: selector followed by the arguments.</summary>
    public byte[] Encode(params ReadOnlySpan<object?> arguments) => AbiCodec.EncodeWithPrefix(_selector, Inputs, arguments);

    /// <summary>True when <paramref name="revertData"/> starts with this error's selector.</summary>
    public bool Matches(ReadOnlySpan<byte> revertData) => revertData.Length >= 4 && revertData[..4].SequenceEqual(_selector);

    /// <summary>Decodes the arguments of revert data raised with this error.</summary>
    /// <exception cref="AbiException">The selector differs or the arguments are malformed.</exception>
    public object[] Decode(ReadOnlySpan<byte> revertData)
    {
        if (!Matches(revertData))
        {
            string actual = revertData.Length < 4 ? $"only {revertData.Length} bytes" : $"selector {Hex.Encode(revertData[..4])}";
            throw new AbiException($"the revert data has {actual} but {Signature} has selector {SelectorHex}", Signature, 0);
        }

        return AbiCodec.Decode(Inputs, revertData[4..], positionBias: 4);
    }

    /// <summary>The human-readable signature, e.g. <c>error TooLarge(uint256 value, uint256 limit)</c>.</summary>
    public override string ToString() => "error " + Name + AbiSignature.Describe(Inputs);
}
