using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>
/// A private Azurite over HTTPS (a self-signed certificate for 127.0.0.1 made here) with <c>--oauth basic</c>, so
/// identity-based connections can be tested end to end: Azurite accepts a bearer token only over TLS, and in basic
/// mode checks the token's issuer, audience and lifetime (not its signature) — see Azurite's README, "OAuth
/// Configuration". One per test class.
/// </summary>
public sealed class OAuthAzurite : IAsyncLifetime
{
    /// <summary>The tenant in the issuer of the tokens <see cref="Jwt(string)"/> makes.</summary>
    public const string Tenant = "8f3b6c1e-2d4a-4e5f-9a7b-0c1d2e3f4a5b";

    private readonly string _directory = Directory.CreateTempSubdirectory("sto-oauth-azurite-").FullName;
    private string _thumbprint = "";

    /// <summary>The running Azurite.</summary>
    public AzuriteProcess Azurite { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        _thumbprint = certificate.GetCertHashString();
        string certificatePath = Path.Combine(_directory, "cert.pem");
        string keyPath = Path.Combine(_directory, "key.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        Azurite = await AzuriteProcess.StartWithOAuthAsync(certificatePath, keyPath);
    }

    /// <summary>A handler that trusts this Azurite's certificate and no other (the machine's trust store is left alone).</summary>
    public HttpMessageHandler CreateHttpHandler() => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == _thumbprint,
        },
    };

    /// <summary>
    /// An unsigned JWT as Entra ID would issue for the requested scope: audience = the scope's resource
    /// (<c>https://storage.azure.com</c> for <c>https://storage.azure.com/.default</c>), issuer
    /// <c>https://sts.windows.net/{tenant}/</c>, valid from five minutes ago for an hour.
    /// </summary>
    public static string Jwt(TokenRequestContext request) =>
        Jwt(string.Join(' ', request.Scopes).Replace("/.default", "", StringComparison.Ordinal));

    /// <summary>An unsigned JWT for <paramref name="audience"/>, otherwise like <see cref="Jwt(TokenRequestContext)"/>.</summary>
    public static string Jwt(string audience)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT" }));
        string payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            aud = audience,
            iss = $"https://sts.windows.net/{Tenant}/",
            iat = now - 300,
            nbf = now - 300,
            exp = now + 3600,
            tid = Tenant,
        }));
        return header + "." + payload + ".";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
