using System.Globalization;

namespace StoFunctions.Ethereum.Abi;

/// <summary>Formats decoded ABI values for messages and logs: bytes as hex, arrays and tuples in brackets.</summary>
internal static class AbiValueText
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Hex.Encode(bytes),
        string text => "\"" + text + "\"",
        bool b => b ? "true" : "false",
        object[] items => "[" + string.Join(", ", items.Select(Format)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
