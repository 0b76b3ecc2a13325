using System.Globalization;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// The block a state query refers to: a tag (<c>latest</c>, <c>pending</c>, <c>safe</c>, <c>finalized</c>,
/// <c>earliest</c>) or a block number. <c>default</c> is <c>latest</c>; converts implicitly from <see cref="ulong"/>.
/// </summary>
public readonly struct BlockParameter : IEquatable<BlockParameter>
{
    private static readonly string[] s_tags = ["latest", "pending", "earliest", "safe", "finalized"];

    // 0..4 index s_tags (0 = latest, so default is latest); NumberKind marks a block number.
    private const byte NumberKind = 5;

    private readonly byte _kind;
    private readonly ulong _number;

    private BlockParameter(byte kind, ulong number)
    {
        _kind = kind;
        _number = number;
    }

    /// <summary>The newest block.</summary>
    public static BlockParameter Latest => default;

    /// <summary>The pending state, including transactions in the node's pool (use for the next nonce).</summary>
    public static BlockParameter Pending => new(1, 0);

    /// <summary>The genesis block.</summary>
    public static BlockParameter Earliest => new(2, 0);

    /// <summary>The newest block the consensus layer considers safe from reorgs.</summary>
    public static BlockParameter Safe => new(3, 0);

    /// <summary>The newest finalized block.</summary>
    public static BlockParameter Finalized => new(4, 0);

    /// <summary>The block number, or null for a tag.</summary>
    public ulong? Number => _kind == NumberKind ? _number : null;

    /// <summary>A specific block.</summary>
    public static BlockParameter FromNumber(ulong number) => new(NumberKind, number);

    /// <summary>A specific block.</summary>
    public static implicit operator BlockParameter(ulong number) => FromNumber(number);

    /// <inheritdoc />
    public bool Equals(BlockParameter other) => _kind == other._kind && _number == other._number;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BlockParameter other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_kind, _number);

    /// <summary>The JSON-RPC form: the tag, or the number as a hex quantity (<c>0x1b4</c>).</summary>
    public override string ToString() =>
        _kind == NumberKind ? "0x" + _number.ToString("x", CultureInfo.InvariantCulture) : s_tags[_kind];

    /// <summary>True when both are the same tag or number.</summary>
    public static bool operator ==(BlockParameter left, BlockParameter right) => left.Equals(right);

    /// <summary>True when they differ.</summary>
    public static bool operator !=(BlockParameter left, BlockParameter right) => !left.Equals(right);
}
