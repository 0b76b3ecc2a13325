using System.Globalization;

namespace StoFunctions.Azure.Storage;

/// <summary>
/// A parsed Azure Storage connection string: <c>UseDevelopmentStorage=true</c>, an account name and key with
/// <c>DefaultEndpointsProtocol</c>/<c>EndpointSuffix</c>, and/or explicit <c>BlobEndpoint</c>,
/// <c>QueueEndpoint</c> and <c>TableEndpoint</c> (Azurite style <c>http://127.0.0.1:10002/devstoreaccount1</c>).
/// </summary>
/// <remarks>Parsing never touches the network, so a bad string fails before any request is sent.</remarks>
public sealed class StorageConnectionString
{
    /// <summary>The Azurite development account name (public, dev only).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    // Azurite's well-known key; public and documented in Azurite's README. Development use only.
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly HashSet<string> s_knownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "UseDevelopmentStorage", "DevelopmentStorageProxyUri", "DefaultEndpointsProtocol", "AccountName",
        "AccountKey", "EndpointSuffix", "BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint",
        "BlobSecondaryEndpoint", "QueueSecondaryEndpoint", "TableSecondaryEndpoint", "FileSecondaryEndpoint",
    };

    private readonly Uri? _blobEndpoint;
    private readonly Uri? _queueEndpoint;
    private readonly Uri? _tableEndpoint;

    private StorageConnectionString(string? accountName, StorageSharedKeyCredential? credential, Uri? blob, Uri? queue, Uri? table)
    {
        AccountName = accountName;
        Credential = credential;
        _blobEndpoint = blob;
        _queueEndpoint = queue;
        _tableEndpoint = table;
    }

    /// <summary>The account name, when the string names one.</summary>
    public string? AccountName { get; }

    /// <summary>The shared key credential, when the string carries an <c>AccountKey</c>.</summary>
    public StorageSharedKeyCredential? Credential { get; }

    /// <summary>The Blob service endpoint.</summary>
    /// <exception cref="InvalidOperationException">The string gives no blob endpoint.</exception>
    public Uri BlobEndpoint => _blobEndpoint ?? throw Missing("BlobEndpoint");

    /// <summary>The Queue service endpoint.</summary>
    /// <exception cref="InvalidOperationException">The string gives no queue endpoint.</exception>
    public Uri QueueEndpoint => _queueEndpoint ?? throw Missing("QueueEndpoint");

    /// <summary>The Table service endpoint.</summary>
    /// <exception cref="InvalidOperationException">The string gives no table endpoint.</exception>
    public Uri TableEndpoint => _tableEndpoint ?? throw Missing("TableEndpoint");

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">The string is malformed; the message names the offending part.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        Dictionary<string, string> settings = Split(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out string? dev))
        {
            if (!string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"Storage connection string: UseDevelopmentStorage must be 'true', not '{dev}'.");
            }

            // Azurite's documented defaults: http, 127.0.0.1, ports 10000/10001/10002, path-style account.
            return new StorageConnectionString(
                DevelopmentAccountName,
                new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey),
                new Uri($"http://127.0.0.1:10000/{DevelopmentAccountName}"),
                new Uri($"http://127.0.0.1:10001/{DevelopmentAccountName}"),
                new Uri($"http://127.0.0.1:10002/{DevelopmentAccountName}"));
        }

        settings.TryGetValue("AccountName", out string? accountName);
        StorageSharedKeyCredential? credential = null;
        if (settings.TryGetValue("AccountKey", out string? key))
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new FormatException("Storage connection string: AccountKey is given without AccountName; add 'AccountName=<account>'.");
            }

            credential = new StorageSharedKeyCredential(accountName, key);
        }

        string protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException($"Storage connection string: DefaultEndpointsProtocol must be 'http' or 'https', not '{protocol}'.");
        }

        string suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        Uri? Endpoint(string name, string service)
        {
            if (settings.TryGetValue(name, out string? explicitValue))
            {
                if (!Uri.TryCreate(explicitValue, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                {
                    throw new FormatException($"Storage connection string: {name} '{explicitValue}' is not an absolute http(s) URI.");
                }

                return uri;
            }

            return string.IsNullOrEmpty(accountName) ? null : new Uri($"{protocol}://{accountName}.{service}.{suffix}");
        }

        Uri? blob = Endpoint("BlobEndpoint", "blob"), queue = Endpoint("QueueEndpoint", "queue"), table = Endpoint("TableEndpoint", "table");
        if (blob is null && queue is null && table is null)
        {
            throw new FormatException("Storage connection string names no account and no endpoint; give 'AccountName=…;AccountKey=…' or explicit '*Endpoint=' values, or 'UseDevelopmentStorage=true'.");
        }

        return new StorageConnectionString(accountName, credential, blob, queue, table);
    }

    internal StorageSharedKeyCredential RequireCredential() => Credential ?? throw new InvalidOperationException(
        "The storage connection string has no AccountName/AccountKey; add them, or construct the client with a TokenCredential.");

    private static Dictionary<string, string> Split(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string[] parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("Storage connection string is empty; expected 'Key=Value;…' pairs.");
        }

        for (int i = 0; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"Storage connection string: part {i} ('{Redact(parts[i])}') is not 'Key=Value'."));
            }

            string name = parts[i][..eq].Trim(), value = parts[i][(eq + 1)..].Trim();
            if (string.Equals(name, "SharedAccessSignature", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("Storage connection string: SharedAccessSignature is not supported; use AccountName/AccountKey, or construct the client with a TokenCredential.");
            }

            if (!s_knownKeys.Contains(name))
            {
                throw new FormatException($"Storage connection string: unknown setting '{name}'. Known settings: {string.Join(", ", s_knownKeys)}.");
            }

            if (!settings.TryAdd(name, value))
            {
                throw new FormatException($"Storage connection string: setting '{name}' appears twice.");
            }
        }

        return settings;
    }

    // Never echo anything that could be part of a key.
    private static string Redact(string part) => part.Length <= 12 ? part : part[..12] + "…";

    private static InvalidOperationException Missing(string name) =>
        new($"The storage connection string gives no {name}; add '{name}=<uri>' or 'AccountName=…'.");
}
