using System.Text.Json;

namespace StoFunctions.Cli.Api;

/// <summary>
/// Where the API is and the function key to send: <c>--api</c>/<c>--key</c>, else <c>STO_API_URL</c>/<c>STO_API_KEY</c>,
/// else the profile file (<c>--profile</c>, <c>STO_PROFILE</c>, or <c>~/.config/sto/profile.json</c> when it exists:
/// <c>{"api": "http://localhost:7071", "key": "…"}</c>). Each value is taken from the first source that has it.
/// The key is never printed: <see cref="ToString"/> and every message name only its source.
/// </summary>
public sealed class ApiSettings
{
    /// <summary>The API's base address, without <c>/api</c> (e.g. <c>http://localhost:7071</c>).</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The function (or admin) key sent as <c>x-functions-key</c>; null sends none.</summary>
    public string? Key { get; init; }

    /// <summary>Where the key came from, for messages (never the key itself).</summary>
    public required string KeySource { get; init; }

    /// <summary>Resolves the settings; a <see cref="CliInputException"/> says what is missing or malformed and how to fix it.</summary>
    public static ApiSettings Resolve(string? api, string? key, string? profilePath, CliEnvironment environment)
    {
        string? profileFile = profilePath ?? environment.GetVariable("STO_PROFILE");
        bool explicitProfile = profileFile is not null;
        profileFile ??= environment.HomeDirectory is { Length: > 0 } home ? Path.Combine(home, ".config", "sto", "profile.json") : null;
        (string? profileApi, string? profileKey) = ReadProfile(profileFile, explicitProfile);

        (string? apiText, string apiSource) = api is not null ? (api, "--api")
            : environment.GetVariable("STO_API_URL") is { Length: > 0 } envApi ? (envApi, "STO_API_URL")
            : profileApi is not null ? (profileApi, "profile " + profileFile)
            : (null, "");
        if (apiText is null)
        {
            throw new CliInputException("No API address: pass --api http://localhost:7071 (./dev up prints it), set STO_API_URL, or write {\"api\": \"…\", \"key\": \"…\"} to ~/.config/sto/profile.json.");
        }

        if (!Uri.TryCreate(apiText.TrimEnd('/'), UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliInputException($"The API address '{apiText}' (from {apiSource}) is not an absolute http:// or https:// URL; e.g. http://localhost:7071.");
        }

        // Accept the base with or without the /api prefix the routes live under.
        string path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.Ordinal))
        {
            uri = new UriBuilder(uri) { Path = path[..^4] }.Uri;
        }

        (string? keyText, string keySource) = key is not null ? (key, "--key")
            : environment.GetVariable("STO_API_KEY") is { Length: > 0 } envKey ? (envKey, "STO_API_KEY")
            : profileKey is not null ? (profileKey, "profile " + profileFile)
            : (null, "none");
        return new ApiSettings { BaseAddress = uri, Key = keyText, KeySource = keySource };
    }

    /// <inheritdoc/>
    public override string ToString() => $"{BaseAddress} (key from {KeySource})";

    private static (string? Api, string? Key) ReadProfile(string? file, bool required)
    {
        if (file is null || (!required && !File.Exists(file)))
        {
            return (null, null);
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliInputException($"The profile {file} must be a JSON object like {{\"api\": \"http://localhost:7071\", \"key\": \"…\"}}.");
            }

            return (Member(doc.RootElement, "api", file), Member(doc.RootElement, "key", file));
        }
        catch (IOException e)
        {
            throw new CliInputException($"Cannot read the profile {file}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliInputException($"Cannot read the profile {file}: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new CliInputException($"The profile {file} is not valid JSON (line {e.LineNumber + 1}): fix it or pass --api and --key.");
        }
    }

    private static string? Member(JsonElement root, string name, string file) =>
        !root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new CliInputException($"The profile {file}: \"{name}\" must be a string.");
}
