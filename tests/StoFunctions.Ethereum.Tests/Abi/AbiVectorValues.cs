using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Ethereum.Tests.Abi;

/// <summary>
/// Turns the value trees of the shared ABI vector files into our value model, driven by the ABI type (the files
/// use decimal strings, JSON numbers, hex, plain text and <c>{type, value}</c> nodes), and compares decoded values.
/// </summary>
internal static class AbiVectorValues
{
    public static object? From(AbiType type, JsonElement node)
    {
        // ethers' typed trees wrap every value as {type, value}.
        if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("value", out JsonElement inner))
        {
            node = inner;
        }

        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
                return (UInt256)Integer(node);
            case AbiTypeKind.Int:
                return Integer(node);
            case AbiTypeKind.Address:
                return Address.Parse(node.GetString()!);
            case AbiTypeKind.Bool:
                return node.GetBoolean();
            case AbiTypeKind.FixedBytes or AbiTypeKind.Bytes:
                {
                    string text = node.GetString()!;
                    return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Hex.Decode(text) : Encoding.UTF8.GetBytes(text);
                }

            case AbiTypeKind.String:
                return node.GetString();
            case AbiTypeKind.Array:
                return node.EnumerateArray().Select(e => From(type.ElementType!, e)).ToArray();
            case AbiTypeKind.Tuple:
                {
                    JsonElement[] items = node.EnumerateArray().ToArray();
                    Assert.Equal(type.Components.Count, items.Length);
                    return items.Select((e, i) => From(type.Components[i].Type, e)).ToArray();
                }

            default:
                throw new InvalidOperationException(type.ToString());
        }
    }

    public static object?[] FromList(IReadOnlyList<AbiType> types, JsonElement array)
    {
        JsonElement[] items = array.EnumerateArray().ToArray();
        Assert.Equal(types.Count, items.Length);
        return items.Select((e, i) => From(types[i], e)).ToArray();
    }

    /// <summary>Structural equality over our value model (byte arrays and object arrays by content).</summary>
    public static bool DeepEquals(object? expected, object? actual) => (expected, actual) switch
    {
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        (IList a, IList b) when a is not byte[] && b is not byte[] =>
            a.Count == b.Count && Enumerable.Range(0, a.Count).All(i => DeepEquals(a[i], b[i])),
        _ => Equals(expected, actual),
    };

    private static BigInteger Integer(JsonElement node) => node.ValueKind == JsonValueKind.Number
        ? BigInteger.Parse(node.GetRawText(), CultureInfo.InvariantCulture)
        : node.GetString()!.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.Parse("0" + node.GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : BigInteger.Parse(node.GetString()!, CultureInfo.InvariantCulture);
}
