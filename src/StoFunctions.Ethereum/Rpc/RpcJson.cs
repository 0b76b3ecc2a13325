using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// Ethereum's JSON-RPC encoding (https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding): quantities are
/// 0x-prefixed hex without leading zeros, data is 0x-prefixed hex of whole bytes. Readers throw
/// <see cref="FormatException"/> naming the member; the client turns that into a <see cref="JsonRpcException"/>.
/// </summary>
internal static partial class RpcJson
{
    public static UInt256 ReadQuantity(JsonElement value)
    {
        string text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"expected a hex quantity string but found {value.ValueKind} {Clip(value)}");
        if (text.Length < 3 || text[0] != '0' || text[1] is not ('x' or 'X'))
        {
            throw new FormatException($"'{text}' is not a hex quantity (0x followed by hex digits)");
        }

        try
        {
            return UInt256.Parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"'{text}' is not a hex quantity: {e.Message}", e);
        }
    }

    public static ulong ReadUInt64(JsonElement value)
    {
        UInt256 quantity = ReadQuantity(value);
        return quantity.FitsInUInt64 ? (ulong)quantity : throw new FormatException($"{quantity.ToHexQuantity()} does not fit in 64 bits");
    }

    public static Address ReadAddress(JsonElement value)
    {
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return Address.TryParse(text, out Address address) ? address : throw new FormatException($"{Clip(value)} is not an address");
    }

    public static Hash32 ReadHash(JsonElement value)
    {
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return Hash32.TryParse(text, out Hash32 hash) ? hash : throw new FormatException($"{Clip(value)} is not a 32-byte hash");
    }

    public static byte[] ReadBytes(JsonElement value)
    {
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return Hex.TryDecode(text, out byte[]? bytes) ? bytes : throw new FormatException($"{Clip(value)} is not 0x-prefixed hex data");
    }

    public static UInt256 ReadQuantity(JsonElement json, string name) => Member(json, name, ReadQuantity);

    public static ulong ReadUInt64(JsonElement json, string name) => Member(json, name, ReadUInt64);

    public static Address ReadAddress(JsonElement json, string name) => Member(json, name, ReadAddress);

    public static Hash32 ReadHash(JsonElement json, string name) => Member(json, name, ReadHash);

    public static byte[] ReadBytes(JsonElement json, string name) => Member(json, name, ReadBytes);

    public static UInt256? OptionalQuantity(JsonElement json, string name) => Present(json, name) ? ReadQuantity(json, name) : null;

    public static ulong? OptionalUInt64(JsonElement json, string name) => Present(json, name) ? ReadUInt64(json, name) : null;

    public static Address? OptionalAddress(JsonElement json, string name) => Present(json, name) ? ReadAddress(json, name) : null;

    public static Hash32? OptionalHash(JsonElement json, string name) => Present(json, name) ? ReadHash(json, name) : null;

    public static IReadOnlyList<T> ReadArray<T>(JsonElement json, string name, Func<JsonElement, T> read) => Member(json, name, array =>
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"expected an array but found {array.ValueKind}");
        }

        var items = new T[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            try
            {
                items[i] = read(item);
            }
            catch (FormatException e)
            {
                throw new FormatException($"[{i}]: {e.Message}", e);
            }

            i++;
        }

        return (IReadOnlyList<T>)items;
    });

    /// <summary>Reads a result as <typeparamref name="T"/>: our primitives and result records by their JSON-RPC encoding, anything else with System.Text.Json.</summary>
    public static T? Read<T>(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null && (default(T) is null || Nullable.GetUnderlyingType(typeof(T)) is not null))
        {
            return default;
        }

        Type type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object? result = type switch
        {
            _ when type == typeof(JsonElement) => value.Clone(),
            _ when type == typeof(UInt256) => ReadQuantity(value),
            _ when type == typeof(ulong) => ReadUInt64(value),
            _ when type == typeof(Address) => ReadAddress(value),
            _ when type == typeof(Hash32) => ReadHash(value),
            _ when type == typeof(byte[]) => ReadBytes(value),
            _ when type == typeof(TransactionReceipt) => TransactionReceipt.FromJson(value),
            _ when type == typeof(RpcTransaction) => RpcTransaction.FromJson(value),
            _ when type == typeof(BlockHeader) => BlockHeader.FromJson(value),
            _ when type == typeof(BlockWithTransactions) => BlockWithTransactions.FromJson(value),
            _ when type == typeof(FeeHistory) => FeeHistory.FromJson(value),
            _ when type == typeof(IReadOnlyList<LogEntry>) => ReadLogs(value),
            _ => null,
        };
        if (result is not null)
        {
            return (T)result;
        }

        try
        {
            return value.Deserialize<T>();
        }
        catch (JsonException e)
        {
            throw new FormatException($"cannot read {Clip(value)} as {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static IReadOnlyList<LogEntry> ReadLogs(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"expected an array of logs but found {value.ValueKind}");
        }

        return value.EnumerateArray().Select(LogEntry.FromJson).ToArray();
    }

    private static bool Present(JsonElement json, string name) =>
        json.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    private static T Member<T>(JsonElement json, string name, Func<JsonElement, T> read)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"expected an object with '{name}' but found {json.ValueKind}");
        }

        if (!json.TryGetProperty(name, out JsonElement value))
        {
            throw new FormatException($"'{name}' is missing");
        }

        try
        {
            return read(value);
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{name}': {e.Message}", e);
        }
    }

    private static string Clip(JsonElement value)
    {
        string raw = value.GetRawText();
        return raw.Length <= 80 ? raw : raw[..80] + "…";
    }
}
