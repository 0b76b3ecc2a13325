using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace StoFunctions.Hosting;

/// <summary>
/// Reads the two Azure Functions configuration files into .NET configuration, as the Functions host does:
/// <c>host.json</c> under the section <c>AzureFunctionsJobHost</c> (so <c>extensions.queues.batchSize</c> is
/// <c>AzureFunctionsJobHost:extensions:queues:batchSize</c>, overridable by the environment variable
/// <c>AzureFunctionsJobHost__extensions__queues__batchSize</c>), and <c>local.settings.json</c>
/// <c>Values</c> as top-level keys with <c>__</c> meaning <c>:</c> (like environment variables), plus its
/// <c>Host</c> and <c>ConnectionStrings</c> objects. Both files are optional; environment variables and the
/// command line override them.
/// </summary>
public static class FunctionsConfiguration
{
    /// <summary>The configuration section host.json is loaded under (the Functions host's name for it).</summary>
    public const string HostSection = "AzureFunctionsJobHost";

    /// <summary>The host.json file name.</summary>
    public const string HostFileName = "host.json";

    /// <summary>The local settings file name (local development only; never deployed).</summary>
    public const string LocalSettingsFileName = "local.settings.json";

    /// <summary>
    /// Puts host.json and local.settings.json from <paramref name="directory"/> at the lowest precedence of
    /// <paramref name="configuration"/>, below appsettings, environment variables and the command line.
    /// </summary>
    /// <returns>The files found (for the startup log).</returns>
    public static IReadOnlyList<string> AddFunctionsFiles(this IConfigurationBuilder configuration, string directory)
    {
        var found = new List<string>();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string host = Path.Combine(directory, HostFileName);
        if (File.Exists(host))
        {
            Merge(values, ReadHostJson(host));
            found.Add(host);
        }

        string local = Path.Combine(directory, LocalSettingsFileName);
        if (File.Exists(local))
        {
            Merge(values, ReadLocalSettings(local));
            found.Add(local);
        }

        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
        return found;
    }

    /// <summary>Flattens host.json into configuration keys under <see cref="HostSection"/>.</summary>
    public static IReadOnlyDictionary<string, string?> ReadHostJson(string path)
    {
        using JsonDocument document = Parse(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path} must hold a JSON object (found {document.RootElement.ValueKind}).");
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(document.RootElement, HostSection, values);
        return values;
    }

    /// <summary>Reads local.settings.json: <c>Values</c> (<c>__</c> → <c>:</c>), <c>Host</c> and <c>ConnectionStrings</c>.</summary>
    public static IReadOnlyDictionary<string, string?> ReadLocalSettings(string path)
    {
        using JsonDocument document = Parse(path);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path} must hold a JSON object with a 'Values' object (found {document.RootElement.ValueKind}).");
        }

        if (document.RootElement.TryGetProperty("IsEncrypted", out JsonElement encrypted) && encrypted.ValueKind == JsonValueKind.True)
        {
            throw new InvalidDataException($"{path} has \"IsEncrypted\": true; this host reads plain settings only. Decrypt it (func settings decrypt) or set IsEncrypted to false.");
        }

        if (document.RootElement.TryGetProperty("Values", out JsonElement settings))
        {
            foreach (JsonProperty setting in settings.EnumerateObject())
            {
                if (setting.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    throw new InvalidDataException($"{path}: Values.{setting.Name} is a JSON {setting.Value.ValueKind}; Values hold strings only. Use '__' in the name for nesting (e.g. \"Signer__Mode\").");
                }

                values[setting.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = Scalar(setting.Value);
            }
        }

        foreach (string section in (string[])["Host", "ConnectionStrings"])
        {
            if (document.RootElement.TryGetProperty(section, out JsonElement element))
            {
                Flatten(element, section, values);
            }
        }

        return values;
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message} Fix the file (local.settings.json can be recreated from local.settings.sample.json).", ex);
        }
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    Flatten(property.Value, ConfigurationPath.Combine(prefix, property.Name), values);
                }

                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Flatten(item, ConfigurationPath.Combine(prefix, index++.ToString(CultureInfo.InvariantCulture)), values);
                }

                break;
            default:
                values[prefix] = Scalar(element);
                break;
        }
    }

    private static string? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.GetRawText(),
    };

    private static void Merge(Dictionary<string, string?> into, IReadOnlyDictionary<string, string?> from)
    {
        foreach ((string key, string? value) in from)
        {
            into[key] = value;
        }
    }
}
