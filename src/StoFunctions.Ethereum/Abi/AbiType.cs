using System.Text;

namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// A Solidity ABI type: elementary (<c>uint256</c>, <c>address</c>, <c>bytes32</c>, …), dynamic (<c>bytes</c>,
/// <c>string</c>, <c>T[]</c>), a fixed array <c>T[k]</c> or a tuple. Immutable; equal types have equal
/// <see cref="CanonicalName"/>s, which is also what <see cref="ToString"/> returns and what selectors hash.
/// </summary>
public sealed class AbiType : IEquatable<AbiType>
{
    // Fixed arrays of static types are encoded in place, so their size is known from the type alone. A type
    // such as uint256[1e12] is legal Solidity but cannot exist in any real call data; refusing it at parse time
    // keeps every size below in int arithmetic.
    private const long MaxStaticSize = 1 << 30;

    private static readonly AbiType[] s_uints = CreateIntegers(AbiTypeKind.UInt);
    private static readonly AbiType[] s_ints = CreateIntegers(AbiTypeKind.Int);
    private static readonly AbiType[] s_fixedBytes = CreateFixedBytes();

    private AbiType(AbiTypeKind kind, int size, AbiType? element, int? length, IReadOnlyList<AbiParameter> components, string canonicalName, bool isDynamic, int staticSize)
    {
        Kind = kind;
        Size = size;
        ElementType = element;
        Length = length;
        Components = components;
        CanonicalName = canonicalName;
        IsDynamic = isDynamic;
        StaticSize = staticSize;
    }

    /// <summary><c>address</c>.</summary>
    public static AbiType Address { get; } = Elementary(AbiTypeKind.Address, 0, "address");

    /// <summary><c>bool</c>.</summary>
    public static AbiType Bool { get; } = Elementary(AbiTypeKind.Bool, 0, "bool");

    /// <summary>Dynamic <c>bytes</c>.</summary>
    public static AbiType Bytes { get; } = new(AbiTypeKind.Bytes, 0, null, null, [], "bytes", true, 32);

    /// <summary><c>string</c>.</summary>
    public static AbiType String { get; } = new(AbiTypeKind.String, 0, null, null, [], "string", true, 32);

    /// <summary><c>uint256</c>.</summary>
    public static AbiType UInt256 => s_uints[31];

    /// <summary><c>int256</c>.</summary>
    public static AbiType Int256 => s_ints[31];

    /// <summary><c>bytes32</c>.</summary>
    public static AbiType Bytes32 => s_fixedBytes[31];

    /// <summary>The family this type belongs to.</summary>
    public AbiTypeKind Kind { get; }

    /// <summary>Bit width for <c>uintN</c>/<c>intN</c>, byte length for <c>bytesN</c>; 0 for other kinds.</summary>
    public int Size { get; }

    /// <summary>The element type of an array; null for other kinds.</summary>
    public AbiType? ElementType { get; }

    /// <summary>The length of a fixed array <c>T[k]</c>; null for dynamic arrays and other kinds.</summary>
    public int? Length { get; }

    /// <summary>The components of a tuple (names may be empty); empty for other kinds.</summary>
    public IReadOnlyList<AbiParameter> Components { get; }

    /// <summary>The canonical type name used in signatures, e.g. <c>(uint256,address)[]</c>.</summary>
    public string CanonicalName { get; }

    /// <summary>True when values are encoded in the tail behind an offset (<c>bytes</c>, <c>string</c>,
    /// <c>T[]</c>, and fixed arrays or tuples that contain a dynamic type).</summary>
    public bool IsDynamic { get; }

    /// <summary>Bytes the type occupies in the head of an enclosing encoding: 32 for dynamic types (the
    /// offset), the full in-place size for static ones.</summary>
    public int StaticSize { get; }

    /// <summary>Parses a type such as <c>uint256</c>, <c>bytes32[2]</c> or <c>(address to,uint256[] ids)[]</c>.
    /// <c>uint</c>/<c>int</c> mean <c>uint256</c>/<c>int256</c>; <c>tuple(…)</c> is accepted for <c>(…)</c>.</summary>
    /// <exception cref="AbiException">The text is not a valid type; the message names the problem and its character offset.</exception>
    public static AbiType Parse(string text) => AbiTextParser.ParseType(text);

    /// <summary>Parses a type, returning false instead of throwing when the text is invalid.</summary>
    public static bool TryParse(string? text, out AbiType? type)
    {
        type = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            type = AbiTextParser.ParseType(text);
            return true;
        }
        catch (AbiException)
        {
            return false;
        }
    }

    /// <summary><c>uintN</c> for N = 8, 16, …, 256.</summary>
    public static AbiType UInt(int bits) => s_uints[CheckBits(bits) / 8 - 1];

    /// <summary><c>intN</c> for N = 8, 16, …, 256.</summary>
    public static AbiType Int(int bits) => s_ints[CheckBits(bits) / 8 - 1];

    /// <summary><c>bytesN</c> for N = 1 … 32.</summary>
    public static AbiType FixedBytes(int length)
    {
        if (length is < 1 or > 32)
        {
            throw new AbiException($"bytes{length} is not an ABI type: bytesN needs 1 <= N <= 32.");
        }

        return s_fixedBytes[length - 1];
    }

    /// <summary><c>T[]</c> when <paramref name="length"/> is null, otherwise <c>T[length]</c>.</summary>
    public static AbiType ArrayOf(AbiType element, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (length is null)
        {
            return new AbiType(AbiTypeKind.Array, 0, element, null, [], element.CanonicalName + "[]", true, 32);
        }

        if (length <= 0)
        {
            throw new AbiException($"{element.CanonicalName}[{length}] is not an ABI type: a fixed array needs a length of at least 1.");
        }

        string name = element.CanonicalName + "[" + length.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
        if (element.IsDynamic)
        {
            return new AbiType(AbiTypeKind.Array, 0, element, length, [], name, true, 32);
        }

        long size = (long)element.StaticSize * length.Value;
        if (size > MaxStaticSize)
        {
            throw new AbiException($"{name} would occupy {size} bytes in place; static types larger than {MaxStaticSize} bytes are refused.");
        }

        return new AbiType(AbiTypeKind.Array, 0, element, length, [], name, false, (int)size);
    }

    /// <summary>A tuple of named (or unnamed, empty name) components.</summary>
    public static AbiType Tuple(IEnumerable<AbiParameter> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        AbiParameter[] items = components.ToArray();
        var name = new StringBuilder("(");
        bool dynamic = false;
        long size = 0;
        for (int i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                name.Append(',');
            }

            name.Append(items[i].Type.CanonicalName);
            dynamic |= items[i].Type.IsDynamic;
            size += items[i].Type.StaticSize;
        }

        name.Append(')');
        if (!dynamic && size > MaxStaticSize)
        {
            throw new AbiException($"{name} would occupy {size} bytes in place; static types larger than {MaxStaticSize} bytes are refused.");
        }

        return new AbiType(AbiTypeKind.Tuple, 0, null, null, items, name.ToString(), dynamic, dynamic ? 32 : (int)size);
    }

    /// <summary>A tuple of unnamed components.</summary>
    public static AbiType Tuple(params AbiType[] components) =>
        Tuple(components.Select(t => new AbiParameter(string.Empty, t)));

    /// <inheritdoc />
    public bool Equals(AbiType? other) => other is not null && other.CanonicalName == CanonicalName;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AbiType);

    /// <inheritdoc />
    public override int GetHashCode() => CanonicalName.GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical type name.</summary>
    public override string ToString() => CanonicalName;

    private static int CheckBits(int bits)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0)
        {
            throw new AbiException($"{bits} is not a valid integer width: uintN/intN need N to be a multiple of 8 from 8 to 256.");
        }

        return bits;
    }

    private static AbiType Elementary(AbiTypeKind kind, int size, string name) =>
        new(kind, size, null, null, [], name, false, 32);

    private static AbiType[] CreateIntegers(AbiTypeKind kind)
    {
        string prefix = kind == AbiTypeKind.UInt ? "uint" : "int";
        var types = new AbiType[32];
        for (int i = 0; i < 32; i++)
        {
            int bits = (i + 1) * 8;
            types[i] = Elementary(kind, bits, prefix + bits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return types;
    }

    private static AbiType[] CreateFixedBytes()
    {
        var types = new AbiType[32];
        for (int i = 0; i < 32; i++)
        {
            types[i] = Elementary(AbiTypeKind.FixedBytes, i + 1, "bytes" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return types;
    }
}
