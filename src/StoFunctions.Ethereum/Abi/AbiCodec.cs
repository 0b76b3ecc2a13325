namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// Encodes and decodes lists of ABI values (the body of call data, return data, constructor arguments and
/// log data). Values map to C# as: <c>uintN</c> ↔ <see cref="UInt256"/> (also accepts <see cref="System.Numerics.BigInteger"/>
/// and unsigned/non-negative integers), <c>intN</c> ↔ <see cref="System.Numerics.BigInteger"/> (also accepts integers),
/// <c>address</c> ↔ <see cref="Address"/> (also accepts its text), <c>bool</c> ↔ <see cref="bool"/>,
/// <c>bytesN</c>/<c>bytes</c> ↔ <see cref="byte"/>[], <c>string</c> ↔ <see cref="string"/>, arrays and tuples ↔
/// <see cref="object"/>[] (arrays also accept any <see cref="System.Collections.IList"/>, tuples also value tuples).
/// Values are passed as a <c>params</c> span: a single <see cref="object"/>[] argument is taken as the whole value list,
/// so pass one array- or tuple-typed value as <c>(object)array</c> or inside a collection expression.
/// </summary>
public static class AbiCodec
{
    /// <summary>Encodes <paramref name="values"/> as the ABI tuple of <paramref name="types"/>.</summary>
    /// <exception cref="AbiException">A value does not fit its type; the message names the parameter path.</exception>
    public static byte[] Encode(IReadOnlyList<AbiType> types, params ReadOnlySpan<object?> values) =>
        Encode(ToParameters(types), values);

    /// <summary>Encodes <paramref name="values"/> as the ABI tuple of <paramref name="parameters"/>.</summary>
    /// <exception cref="AbiException">A value does not fit its type; the message names the parameter path.</exception>
    public static byte[] Encode(IReadOnlyList<AbiParameter> parameters, params ReadOnlySpan<object?> values)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var buffer = new byte[AbiEncoder.SequenceSize(parameters, values)];
        AbiEncoder.WriteSequence(parameters, values, buffer);
        return buffer;
    }

    /// <summary>Decodes the ABI tuple of <paramref name="types"/> from <paramref name="data"/>.</summary>
    /// <exception cref="AbiException">The data is malformed; the message names the parameter path and byte offset.</exception>
    public static object[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data) =>
        Decode(ToParameters(types), data);

    /// <summary>Decodes the ABI tuple of <paramref name="parameters"/> from <paramref name="data"/>. Bytes after
    /// the encoded values are ignored, as Solidity's <c>abi.decode</c> does.</summary>
    /// <exception cref="AbiException">The data is malformed; the message names the parameter path and byte offset.</exception>
    public static object[] Decode(IReadOnlyList<AbiParameter> parameters, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new AbiDecoder(data).DecodeSequence(parameters, 0);
    }

    internal static object[] Decode(IReadOnlyList<AbiParameter> parameters, ReadOnlySpan<byte> data, int positionBias) =>
        new AbiDecoder(data, positionBias).DecodeSequence(parameters, 0);

    internal static byte[] EncodeWithPrefix(ReadOnlySpan<byte> prefix, IReadOnlyList<AbiParameter> parameters, ReadOnlySpan<object?> values)
    {
        var buffer = new byte[prefix.Length + AbiEncoder.SequenceSize(parameters, values)];
        prefix.CopyTo(buffer);
        AbiEncoder.WriteSequence(parameters, values, buffer.AsSpan(prefix.Length));
        return buffer;
    }

    private static AbiParameter[] ToParameters(IReadOnlyList<AbiType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var parameters = new AbiParameter[types.Count];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = new AbiParameter(string.Empty, types[i]);
        }

        return parameters;
    }
}
