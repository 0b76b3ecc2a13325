namespace StoFunctions.Ethereum;

/// <summary>One EIP-2930 access-list entry: an address and the storage slots the transaction pre-declares.</summary>
/// <param name="Address">The contract whose storage is accessed.</param>
/// <param name="StorageKeys">32-byte storage slots.</param>
public sealed record AccessListEntry(Address Address, IReadOnlyList<Hash32> StorageKeys)
{
    /// <inheritdoc />
    public bool Equals(AccessListEntry? other) =>
        other is not null && Address == other.Address && StorageKeys.SequenceEqual(other.StorageKeys);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Address, StorageKeys.Count);
}
