using System.Globalization;
using System.Text.Json.Nodes;

namespace StoFunctions.Cli;

/// <summary>Builds a request body from option values, leaving out the ones not given (the API's defaults apply).</summary>
public sealed class JsonBody
{
    /// <summary>The body so far.</summary>
    public JsonObject Object { get; } = [];

    /// <summary>Adds a string member (amounts and addresses are sent exactly as typed: the API validates them).</summary>
    public JsonBody Text(string name, string? value)
    {
        if (value is not null)
        {
            Object[name] = value;
        }

        return this;
    }

    /// <summary>Adds an integer member.</summary>
    public JsonBody Number(string name, ulong? value)
    {
        if (value is not null)
        {
            Object[name] = value.Value;
        }

        return this;
    }

    /// <summary>Adds a boolean member when true.</summary>
    public JsonBody Flag(string name, bool value)
    {
        if (value)
        {
            Object[name] = true;
        }

        return this;
    }

    /// <summary>Adds a string array member when it has items.</summary>
    public JsonBody List(string name, string[]? values)
    {
        if (values is { Length: > 0 })
        {
            Object[name] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
        }

        return this;
    }

    /// <summary>Adds a time: Unix seconds as a number, anything else as text (ISO 8601; the API checks it).</summary>
    public JsonBody Time(string name, string? value)
    {
        if (value is not null)
        {
            Object[name] = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seconds) ? JsonValue.Create(seconds) : JsonValue.Create(value);
        }

        return this;
    }
}
