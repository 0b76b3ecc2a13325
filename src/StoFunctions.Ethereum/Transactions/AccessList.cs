using System.Collections;

namespace StoFunctions.Ethereum;

/// <summary>An EIP-2930 access list (immutable). Equality compares entries in order.</summary>
public sealed class AccessList : IReadOnlyList<AccessListEntry>, IEquatable<AccessList>
{
    private readonly AccessListEntry[] _entries;

    /// <summary>Creates an access list from entries (copied).</summary>
    public AccessList(IEnumerable<AccessListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries.ToArray();
    }

    /// <summary>The empty access list (<c>0xc0</c>).</summary>
    public static AccessList Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <inheritdoc />
    public AccessListEntry this[int index] => _entries[index];

    /// <inheritdoc />
    public IEnumerator<AccessListEntry> GetEnumerator() => ((IEnumerable<AccessListEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(AccessList? other) => other is not null && _entries.AsSpan().SequenceEqual(other._entries);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AccessList);

    /// <inheritdoc />
    public override int GetHashCode() => _entries.Length;

    internal int PayloadLength()
    {
        int total = 0;
        foreach (AccessListEntry entry in _entries)
        {
            int inner = EntryPayloadLength(entry);
            total += Rlp.LengthOfListHeader(inner) + inner;
        }

        return total;
    }

    internal int EncodedLength()
    {
        int payload = PayloadLength();
        return Rlp.LengthOfListHeader(payload) + payload;
    }

    internal void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(PayloadLength());
        foreach (AccessListEntry entry in _entries)
        {
            writer.WriteListHeader(EntryPayloadLength(entry));
            writer.WriteAddress(entry.Address);
            int keys = entry.StorageKeys.Count * (1 + Hash32.Size);
            writer.WriteListHeader(keys);
            foreach (Hash32 key in entry.StorageKeys)
            {
                writer.WriteHash(key);
            }
        }
    }

    internal static AccessList Read(ref RlpReader reader)
    {
        RlpReader list = reader.ReadList("accessList");
        var entries = new List<AccessListEntry>();
        while (list.HasMore)
        {
            int entryStart = list.Position;
            RlpReader entry = list.ReadList($"accessList[{entries.Count}]");
            int addressStart = entry.Position;
            ReadOnlySpan<byte> address = entry.ReadBytes($"accessList[{entries.Count}].address");
            if (address.Length != Address.Size)
            {
                throw new TransactionException(
                    $"accessList[{entries.Count}].address is {address.Length} bytes; an address is exactly 20 bytes.", addressStart);
            }

            RlpReader keyList = entry.ReadList($"accessList[{entries.Count}].storageKeys");
            var keys = new List<Hash32>();
            while (keyList.HasMore)
            {
                int keyStart = keyList.Position;
                ReadOnlySpan<byte> key = keyList.ReadBytes($"accessList[{entries.Count}].storageKeys[{keys.Count}]");
                if (key.Length != Hash32.Size)
                {
                    throw new TransactionException(
                        $"accessList[{entries.Count}].storageKeys[{keys.Count}] is {key.Length} bytes; a storage key is exactly 32 bytes.", keyStart);
                }

                keys.Add(Hash32.FromBytes(key));
            }

            if (entry.HasMore)
            {
                throw new TransactionException($"accessList[{entries.Count}] has more than 2 items; an entry is [address, storageKeys].", entryStart);
            }

            entries.Add(new AccessListEntry(Address.FromBytes(address), keys));
        }

        return entries.Count == 0 ? Empty : new AccessList(entries);
    }

    private static int EntryPayloadLength(AccessListEntry entry)
    {
        int keys = entry.StorageKeys.Count * (1 + Hash32.Size);
        return 1 + Address.Size + Rlp.LengthOfListHeader(keys) + keys;
    }
}
