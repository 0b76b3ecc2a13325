using System.Text.RegularExpressions;

namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// A parsed key id <c>https://{vault}/keys/{name}[/{version}]</c> (as <c>Azure.Security.KeyVault.Keys.KeyVaultKeyIdentifier</c>).
/// </summary>
public readonly partial record struct KeyVaultKeyIdentifier
{
    private KeyVaultKeyIdentifier(Uri sourceId, Uri vaultUri, string name, string? version)
    {
        SourceId = sourceId;
        VaultUri = vaultUri;
        Name = name;
        Version = version;
    }

    /// <summary>The id as given.</summary>
    public Uri SourceId { get; }

    /// <summary>The vault (<c>https://{vault}/</c>).</summary>
    public Uri VaultUri { get; }

    /// <summary>The key name.</summary>
    public string Name { get; }

    /// <summary>The key version, or null when the id names the latest version.</summary>
    public string? Version { get; }

    /// <summary>Parses a key id; throws <see cref="ArgumentException"/> saying what is wrong with it.</summary>
    public static KeyVaultKeyIdentifier Parse(Uri id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.IsAbsoluteUri)
        {
            throw new ArgumentException($"Key id '{id}' is not absolute; expected https://{{vault}}/keys/{{name}}/{{version}}.", nameof(id));
        }

        string[] segments = id.AbsolutePath.Trim('/').Split('/');
        if (segments.Length is < 2 or > 3 || segments[0] != "keys")
        {
            throw new ArgumentException($"Key id '{id}' has path '{id.AbsolutePath}'; expected /keys/{{name}}/{{version}}.", nameof(id));
        }

        ValidateName(segments[1], nameof(id));
        string? version = segments.Length == 3 ? segments[2] : null;
        if (version is not null)
        {
            ValidateVersion(version, nameof(id));
        }

        return new KeyVaultKeyIdentifier(id, new Uri(id.GetLeftPart(UriPartial.Authority) + "/"), segments[1], version);
    }

    /// <inheritdoc />
    public override string ToString() => SourceId.ToString();

    internal static void ValidateName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!KeyName().IsMatch(name))
        {
            throw new ArgumentException($"Key name '{name}' is invalid: Key Vault key names are 1-127 characters 0-9, a-z, A-Z and '-'.", parameterName);
        }
    }

    internal static void ValidateVersion(string version, string parameterName)
    {
        if (!KeyVersion().IsMatch(version))
        {
            throw new ArgumentException($"Key version '{version}' is invalid: Key Vault versions are letters and digits (32 hex characters).", parameterName);
        }
    }

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^[0-9a-zA-Z]{1,64}$")]
    private static partial Regex KeyVersion();
}
