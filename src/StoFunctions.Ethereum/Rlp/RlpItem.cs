using System.Text;

namespace StoFunctions.Ethereum;

/// <summary>
/// A decoded RLP value: either a byte string or a list of items. Equality is structural.
/// </summary>
public readonly struct RlpItem : IEquatable<RlpItem>
{
    private readonly byte[]? _bytes;
    private readonly RlpItem[]? _items;

    private RlpItem(byte[]? bytes, RlpItem[]? items)
    {
        _bytes = bytes;
        _items = items;
    }

    /// <summary>Whether this item is a list.</summary>
    public bool IsList => _items is not null;

    /// <summary>The byte string (empty for a default item).</summary>
    /// <exception cref="InvalidOperationException">The item is a list.</exception>
    public ReadOnlySpan<byte> Bytes => IsList
        ? throw new InvalidOperationException("This RLP item is a list, not a byte string.")
        : _bytes;

    /// <summary>The list items.</summary>
    /// <exception cref="InvalidOperationException">The item is a byte string.</exception>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new InvalidOperationException("This RLP item is a byte string, not a list.");

    /// <summary>A byte-string item.</summary>
    public static RlpItem String(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null);

    /// <summary>A byte string holding the minimal big-endian form of <paramref name="value"/> (0 is the empty string).</summary>
    public static RlpItem Integer(UInt256 value) => new(value.ToBigEndianTrimmed(), null);

    /// <summary>A list item.</summary>
    public static RlpItem List(params RlpItem[] items) => new(null, (RlpItem[])items.Clone());

    /// <summary>A list item built from a sequence.</summary>
    public static RlpItem List(IEnumerable<RlpItem> items) => new(null, items.ToArray());

    internal static RlpItem FromOwned(byte[] bytes) => new(bytes, null);

    internal static RlpItem FromOwned(RlpItem[] items) => new(null, items);

    /// <summary>Reads the byte string as a canonical RLP integer (no leading zero bytes, at most 32 bytes).</summary>
    /// <exception cref="RlpException">The string has a leading zero byte or is wider than 256 bits.</exception>
    public UInt256 ToUInt256() => RlpReader.ToCanonicalUInt256(Bytes, "integer", 0);

    /// <inheritdoc />
    public bool Equals(RlpItem other)
    {
        if (IsList != other.IsList)
        {
            return false;
        }

        return IsList ? _items!.AsSpan().SequenceEqual(other._items) : Bytes.SequenceEqual(other.Bytes);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RlpItem other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        if (IsList)
        {
            hash.Add(_items!.Length);
            foreach (RlpItem item in _items)
            {
                hash.Add(item.GetHashCode());
            }
        }
        else
        {
            hash.AddBytes(Bytes);
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality of structure and bytes.</summary>
    public static bool operator ==(RlpItem left, RlpItem right) => left.Equals(right);

    /// <summary>Inequality of structure or bytes.</summary>
    public static bool operator !=(RlpItem left, RlpItem right) => !left.Equals(right);

    /// <summary>Debug form: hex strings and bracketed lists, e.g. <c>[0x01, [0x]]</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder, this);
        return builder.ToString();

        static void Append(StringBuilder builder, RlpItem item)
        {
            if (!item.IsList)
            {
                builder.Append(Hex.Encode(item.Bytes));
                return;
            }

            builder.Append('[');
            for (int i = 0; i < item._items!.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(", ");
                }

                Append(builder, item._items[i]);
            }

            builder.Append(']');
        }
    }
}
