using System.Collections;
using Azure;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// A table entity: its keys, the service-maintained <see cref="Timestamp"/> and <see cref="ETag"/>, and typed
/// properties. Property values are <see cref="string"/>, <see cref="int"/>, <see cref="long"/> (Edm.Int64,
/// sent as a JSON string), <see cref="double"/>, <see cref="bool"/>, <see cref="DateTimeOffset"/> or
/// <see cref="DateTime"/> (Edm.DateTime, stored as UTC), <see cref="Guid"/>, and <see cref="byte"/>[] or
/// <see cref="BinaryData"/> (Edm.Binary).
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object>>
{
    private static readonly HashSet<string> s_systemNames = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag",
    };

    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    /// <summary>Creates an entity with empty keys.</summary>
    public TableEntity()
        : this(string.Empty, string.Empty)
    {
    }

    /// <summary>Creates an entity with the given keys.</summary>
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey ?? throw new ArgumentNullException(nameof(partitionKey));
        RowKey = rowKey ?? throw new ArgumentNullException(nameof(rowKey));
    }

    /// <summary>The partition key.</summary>
    public string PartitionKey { get; set; }

    /// <summary>The row key.</summary>
    public string RowKey { get; set; }

    /// <summary>When the service last wrote the entity (read-only on the service; never sent).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The ETag the entity had when read; pass it as <c>ifMatch</c> for optimistic concurrency.</summary>
    public ETag ETag { get; set; }

    /// <summary>The number of custom properties.</summary>
    public int Count => _properties.Count;

    /// <summary>The names of the custom properties.</summary>
    public IEnumerable<string> Keys => _properties.Keys;

    /// <summary>Gets or sets a custom property; setting null removes it.</summary>
    /// <exception cref="ArgumentException">The name is a system property or the value's type is not supported.</exception>
    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (s_systemNames.Contains(name))
            {
                throw new ArgumentException($"'{name}' is a system property; use the {nameof(PartitionKey)}, {nameof(RowKey)}, {nameof(Timestamp)} or {nameof(ETag)} members instead.", nameof(name));
            }

            if (value is null)
            {
                _properties.Remove(name);
            }
            else
            {
                _properties[name] = Normalize(name, value);
            }
        }
    }

    /// <summary>Whether a custom property of that name is present.</summary>
    public bool ContainsKey(string name) => _properties.ContainsKey(name);

    /// <summary>Removes a custom property; returns whether it was present.</summary>
    public bool Remove(string name) => _properties.Remove(name);

    /// <summary>The property as a string, or null when absent.</summary>
    public string? GetString(string name) => Get<string>(name);

    /// <summary>The property as an Edm.Int32, or null when absent.</summary>
    public int? GetInt32(string name) => Get<int?>(name);

    /// <summary>The property as an Edm.Int64 (Int32 values widen), or null when absent.</summary>
    public long? GetInt64(string name) => _properties.GetValueOrDefault(name) is int i ? i : Get<long?>(name);

    /// <summary>The property as an Edm.Double (integer values widen), or null when absent.</summary>
    public double? GetDouble(string name) => _properties.GetValueOrDefault(name) switch
    {
        int i => i,
        long l => l,
        _ => Get<double?>(name),
    };

    /// <summary>The property as an Edm.Boolean, or null when absent.</summary>
    public bool? GetBoolean(string name) => Get<bool?>(name);

    /// <summary>The property as an Edm.DateTime, or null when absent.</summary>
    public DateTimeOffset? GetDateTimeOffset(string name) => Get<DateTimeOffset?>(name);

    /// <summary>The property as an Edm.DateTime in UTC, or null when absent.</summary>
    public DateTime? GetDateTime(string name) => GetDateTimeOffset(name)?.UtcDateTime;

    /// <summary>The property as an Edm.Guid, or null when absent.</summary>
    public Guid? GetGuid(string name) => Get<Guid?>(name);

    /// <summary>The property as Edm.Binary bytes, or null when absent.</summary>
    public byte[]? GetBinary(string name) => Get<byte[]>(name);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void SetFromService(string name, object value) => _properties[name] = value;

    private T? Get<T>(string name)
    {
        object? value = _properties.GetValueOrDefault(name);
        return value switch
        {
            null => default,
            T typed => typed,
            _ => throw new InvalidOperationException(
                $"Property '{name}' of entity ({PartitionKey}, {RowKey}) is {value.GetType().Name}, not {typeof(T).Name.Replace("Nullable`1", Nullable.GetUnderlyingType(typeof(T))?.Name, StringComparison.Ordinal)}."),
        };
    }

    private static object Normalize(string name, object value) => value switch
    {
        string or int or long or double or bool or Guid or DateTimeOffset => value,
        DateTime dt => new DateTimeOffset(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        byte[] bytes => bytes,
        BinaryData data => data.ToArray(),
        _ => throw new ArgumentException(
            $"Property '{name}' has type {value.GetType().Name}, which the Table service cannot store; use string, int, long, double, bool, DateTime(Offset), Guid or byte[].",
            nameof(value)),
    };
}
