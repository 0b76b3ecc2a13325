using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StoFunctions.Testing.KeyVault;

/// <summary>
/// An in-process stand-in for the Azure Key Vault keys data plane (no emulator exists): create key, get key,
/// sign, with challenge-based bearer auth, Key Vault's JSON error shape and fault-injection
/// <see cref="Knobs"/>. Keys are secp256k1 (P-256K; P-256 for negative tests) and signatures come from the platform's OpenSSL ECDSA with
/// a random k, so like a real HSM every call returns a different valid (r, s), high-S about half the time.
/// <para>
/// It serves HTTPS under a real-looking vault host (<c>sto….vault.azure.net</c>) so the official
/// Azure.Security.KeyVault.Keys clients run unchanged, including their challenge-resource check (the challenge's
/// <c>https://vault.azure.net</c> is a parent domain of the host) and their refusal to send a bearer token
/// without TLS: <see cref="CreateHttpHandler()"/> returns a handler that connects that host name to this server
/// and trusts only this server's self-signed certificate; <see cref="ClientOptions"/> wraps it for a
/// <see cref="KeyClient"/>.
/// </para>
/// </summary>
public sealed partial class TestKeyVaultServer : IAsyncDisposable
{
    private static readonly ECCurve s_curve = ECCurve.CreateFromFriendlyName("secp256k1");
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, List<KeyVersion>> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _bearerTokens = new(StringComparer.Ordinal);
    private int _unauthenticated;
    private int _unauthenticatedWithBody;
    private int _authenticated;
    private int _throttled;
    private int _signs;
    private int _dropped;

    private TestKeyVaultServer(WebApplication app, X509Certificate2 certificate, string vaultHost)
    {
        _app = app;
        _certificate = certificate;
        VaultHost = vaultHost;
        VaultUri = new Uri($"https://{vaultHost}/");
    }

    /// <summary>The vault's host name, unique per server (e.g. <c>sto1a2b3c4d5e6f.vault.azure.net</c>).</summary>
    public string VaultHost { get; }

    /// <summary>The vault URL clients use (<c>https://{VaultHost}/</c>); reachable only through <see cref="CreateHttpHandler()"/>.</summary>
    public Uri VaultUri { get; }

    /// <summary>The loopback port Kestrel listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Fault injection; change at any time.</summary>
    public TestKeyVaultKnobs Knobs { get; } = new();

    /// <summary>Requests answered 401 with a challenge (no, or a rejected, bearer token).</summary>
    public int UnauthenticatedRequests => Volatile.Read(ref _unauthenticated);

    /// <summary>Of <see cref="UnauthenticatedRequests"/>, those that carried a body (the official client's probe carries none).</summary>
    public int UnauthenticatedRequestsWithBody => Volatile.Read(ref _unauthenticatedWithBody);

    /// <summary>Requests that carried an accepted bearer token (including those then throttled).</summary>
    public int AuthenticatedRequests => Volatile.Read(ref _authenticated);

    /// <summary>Requests answered 429.</summary>
    public int ThrottledRequests => Volatile.Read(ref _throttled);

    /// <summary>Signatures computed (including those whose response was dropped).</summary>
    public int Signatures => Volatile.Read(ref _signs);

    /// <summary>Sign responses dropped by <see cref="TestKeyVaultKnobs.DropSignResponseEvery"/>.</summary>
    public int DroppedResponses => Volatile.Read(ref _dropped);

    /// <summary>Each distinct accepted bearer token and how many requests carried it.</summary>
    public IReadOnlyDictionary<string, int> BearerTokens => new Dictionary<string, int>(_bearerTokens, StringComparer.Ordinal);

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<TestKeyVaultServer> StartAsync(CancellationToken cancellationToken = default)
    {
        string vaultHost = $"sto{Guid.NewGuid():N}"[..15] + ".vault.azure.net";
        X509Certificate2 certificate = CreateCertificate(vaultHost);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        WebApplication app = builder.Build();
        var server = new TestKeyVaultServer(app, certificate, vaultHost);
        server.MapRoutes();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>
    /// An HTTP handler that connects <see cref="VaultHost"/> to this server (any other host fails) and trusts
    /// only this server's certificate. Wrap it in Azure.Core's <c>HttpClientTransport</c>.
    /// </summary>
    public HttpMessageHandler CreateHttpHandler() => CreateHttpHandler(VaultHost, Port, _certificate.GetCertHashString());

    /// <summary>
    /// Options for a <see cref="KeyClient"/> (and the <c>CryptographyClient</c>s it hands out) that reach this
    /// server through <see cref="CreateHttpHandler()"/>, with a 10 ms base retry delay so that a test measuring a
    /// wait sees the server's <c>Retry-After</c>, not the client's backoff.
    /// </summary>
    public KeyClientOptions ClientOptions(int maxRetries = 3) => new()
    {
        Transport = new HttpClientTransport(CreateHttpHandler()),
        Retry = { Delay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(5), MaxRetries = maxRetries },
    };

    /// <summary>The SHA-1 thumbprint of this server's self-signed certificate (for a client in another process).</summary>
    public string CertificateThumbprint => _certificate.GetCertHashString();

    /// <summary>
    /// Like <see cref="CreateHttpHandler()"/> for a test vault running in another process (e.g. a benchmark that
    /// keeps the vault's CPU out of the measured process): connects <paramref name="vaultHost"/> to loopback
    /// <paramref name="port"/> and trusts only the certificate with <paramref name="thumbprint"/>.
    /// </summary>
    public static HttpMessageHandler CreateHttpHandler(string vaultHost, int port, string thumbprint)
    {
        return new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                if (!string.Equals(context.DnsEndPoint.Host, vaultHost, StringComparison.OrdinalIgnoreCase))
                {
                    throw new HttpRequestException($"The test Key Vault handler connects only to {vaultHost}, not to {context.DnsEndPoint.Host}.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == thumbprint,
            },
        };
    }

    /// <summary>
    /// Creates a key version directly (setup without going through REST) and returns its version id. Curves are
    /// <c>P-256K</c> (secp256k1, the Ethereum curve) or <c>P-256</c> (to test that signers refuse the wrong curve).
    /// </summary>
    public string CreateKey(string name, string keyType = "EC-HSM", string curve = "P-256K") => curve switch
    {
        "P-256K" => AddVersion(name, keyType, curve, ECDsa.Create(s_curve)),
        "P-256" => AddVersion(name, keyType, curve, ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        _ => throw new ArgumentException($"The test Key Vault supports curves P-256K and P-256, not '{curve}'.", nameof(curve)),
    };

    /// <summary>
    /// Adds a version holding a known secp256k1 private key (32 bytes big-endian), as Key Vault's import
    /// does, so tests can check the derived address against a published one. Returns the version id.
    /// </summary>
    public string ImportKey(string name, ReadOnlySpan<byte> privateKey)
    {
        var key = ECDsa.Create(new ECParameters { Curve = s_curve, D = privateKey.ToArray() });
        return AddVersion(name, "EC-HSM", "P-256K", key);
    }

    private string AddVersion(string name, string keyType, string curve, ECDsa ecdsa)
    {
        var version = new KeyVersion(name, Guid.NewGuid().ToString("N"), keyType, curve, ecdsa, DateTimeOffset.UtcNow);
        List<KeyVersion> versions = _keys.GetOrAdd(name, _ => []);
        lock (versions)
        {
            versions.Add(version);
        }

        return version.Version;
    }

    /// <summary>The 64-byte uncompressed public key <c>x || y</c> of a key version, for independent checks in tests.</summary>
    public byte[] GetPublicKey(string name, string version)
    {
        KeyVersion key = FindKey(name, version) ?? throw new KeyNotFoundException($"No key {name}/{version} on the test vault.");
        return [.. key.X, .. key.Y];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (List<KeyVersion> versions in _keys.Values)
        {
            lock (versions)
            {
                versions.ForEach(v => v.Ecdsa.Dispose());
            }
        }

        _certificate.Dispose();
    }

    private KeyVersion? FindKey(string name, string? version)
    {
        if (!_keys.TryGetValue(name, out List<KeyVersion>? versions))
        {
            return null;
        }

        lock (versions)
        {
            return string.IsNullOrEmpty(version)
                ? versions.LastOrDefault()
                : versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static X509Certificate2 CreateCertificate(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // SslStream on Linux needs the key in a form it can hand to OpenSSL; a PKCS#12 round trip provides it.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }

    private sealed record KeyVersion(string Name, string Version, string KeyType, string Curve, ECDsa Ecdsa, DateTimeOffset Created)
    {
        private readonly ECParameters _parameters = Ecdsa.ExportParameters(includePrivateParameters: true);

        public byte[] X => _parameters.Q.X!;

        public byte[] Y => _parameters.Q.Y!;

        public BigInteger D => new(_parameters.D, isUnsigned: true, isBigEndian: true);
    }
}
