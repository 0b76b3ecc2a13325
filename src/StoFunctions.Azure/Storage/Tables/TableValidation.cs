using System.Globalization;
using System.Text.RegularExpressions;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// Client-side checks of the Table service's documented limits, so bad input fails with a precise message
/// before a request is sent ("Understanding the Table service data model").
/// </summary>
internal static partial class TableValidation
{
    public const int MaxCustomProperties = 252;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxKeyChars = 512;        // 1 KiB of UTF-16; also Azurite's DEFAULT_KEY_MAX_LENGTH.
    public const int MaxStringChars = 32 * 1024; // 64 KiB of UTF-16.
    public const int MaxBinaryBytes = 64 * 1024;
    public const int MaxPropertyNameChars = 255;

    public static void TableName(string tableName)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        if (!TableNamePattern().IsMatch(tableName) || string.Equals(tableName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Table name '{tableName}' is invalid: it must be 3–63 letters or digits, start with a letter, and not be 'tables'.",
                nameof(tableName));
        }
    }

    public static void Key(string? key, string which)
    {
        if (key is null)
        {
            throw new ArgumentNullException(which, $"The {which} must not be null.");
        }

        if (key.Length > MaxKeyChars)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The {which} is {key.Length} characters; the Table service allows at most {MaxKeyChars} (1 KiB of UTF-16)."), which);
        }

        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || (c >= '\u007F' && c <= '\u009F'))
            {
                string shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The {which} '{Printable(key)}' contains '{shown}' at position {i}; the Table service forbids / \\ # ? and control characters in keys. Replace or encode the character (e.g. base64url)."),
                    which);
            }
        }
    }

    public static void Entity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        Key(entity.PartitionKey, "PartitionKey");
        Key(entity.RowKey, "RowKey");
        if (entity.Count > MaxCustomProperties)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Entity ({entity.PartitionKey}, {entity.RowKey}) has {entity.Count} properties; the Table service allows {MaxCustomProperties} besides PartitionKey, RowKey and Timestamp."),
                nameof(entity));
        }

        // Size formula from the data-model page: 4 + 2·len(keys) + Σ (8 + 2·len(name) + size(value)).
        long size = 4 + 2L * (entity.PartitionKey.Length + entity.RowKey.Length);
        foreach ((string name, object value) in entity)
        {
            PropertyName(entity, name);
            size += 8 + 2L * name.Length + value switch
            {
                string s when s.Length > MaxStringChars => throw TooLarge(entity, name, s.Length, "characters", MaxStringChars),
                string s => 4 + 2L * s.Length,
                byte[] b when b.Length > MaxBinaryBytes => throw TooLarge(entity, name, b.Length, "bytes", MaxBinaryBytes),
                byte[] b => 4 + b.Length,
                int => 4,
                bool => 1,
                Guid => 16,
                _ => 8,
            };
        }

        if (size > MaxEntityBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Entity ({entity.PartitionKey}, {entity.RowKey}) is about {size} bytes; the Table service allows {MaxEntityBytes} (1 MiB). Split it or store the bulk in a blob."),
                nameof(entity));
        }
    }

    private static void PropertyName(TableEntity entity, string name)
    {
        if (name.Length > MaxPropertyNameChars || !PropertyNamePattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"Property name '{Printable(name)}' of entity ({entity.PartitionKey}, {entity.RowKey}) is invalid: use a C#-style identifier of at most {MaxPropertyNameChars} characters (letters, digits, '_').",
                nameof(entity));
        }
    }

    private static ArgumentException TooLarge(TableEntity entity, string name, int actual, string unit, int max) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Property '{name}' of entity ({entity.PartitionKey}, {entity.RowKey}) is {actual} {unit}; the Table service allows {max}. Store large values in a blob."),
            nameof(entity));

    private static string Printable(string text)
    {
        string clipped = text.Length > 64 ? text[..64] + "…" : text;
        return string.Concat(clipped.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PropertyNamePattern();
}
