using System.Diagnostics;
using System.Security.Cryptography;
using Azure;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

/// <summary>
/// The SDK's <see cref="CryptographyClient"/>, obtained as <c>KeyVaultEthereumSigner</c> obtains it
/// (<see cref="KeyClient.GetCryptographyClient"/> for one version), against the test vault's faults: what the
/// signer can rely on from the pipeline (raw r || s, retries after Retry-After, resending a lost sign).
/// </summary>
public sealed class CryptographyClientTests
{
    [Fact]
    public async Task Sign_Es256kDigest_Returns64ByteRsThatVerifiesWithThePublicKey()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        CryptographyClient client = Crypto(server, "signer", version);
        byte[] digest = SHA256.HashData("transfer 100 shares"u8);

        SignResult first = await client.SignAsync(SignatureAlgorithm.ES256K, digest);
        SignResult second = await client.SignAsync(SignatureAlgorithm.ES256K, digest);

        Assert.Equal(64, first.Signature.Length);
        Assert.Equal($"https://{server.VaultHost}/keys/signer/{version}", client.KeyId);
        Assert.Equal(client.KeyId, first.KeyId);
        Assert.Equal(SignatureAlgorithm.ES256K, first.Algorithm);
        using ECDsa publicKey = PublicKey(server, "signer", version);
        Assert.True(publicKey.VerifyHash(digest, first.Signature));
        Assert.True(publicKey.VerifyHash(digest, second.Signature));
        Assert.NotEqual(first.Signature, second.Signature); // random k, as an HSM
    }

    [Fact]
    public async Task Sign_WrongAlgorithmForTheCurve_ThrowsBadParameterFromTheService()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        CryptographyClient client = Crypto(server, "signer", version);

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => client.SignAsync(new SignatureAlgorithm("ECDSA256"), new byte[32]));

        Assert.Equal(400, e.Status);
        Assert.Equal("BadParameter", e.ErrorCode);
    }

    [Fact]
    public async Task Sign_Throttled429_IsRetriedAfterRetryAfterAndSucceeds()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        CryptographyClient client = Crypto(server, "signer", version);
        await client.SignAsync(SignatureAlgorithm.ES256K, new byte[32]); // challenge, the SDK's key read, one sign
        server.Knobs.ThrottleEvery = server.AuthenticatedRequests + 1; // the next request, and not its retry
        server.Knobs.RetryAfterSeconds = 1;

        var stopwatch = Stopwatch.StartNew();
        SignResult result = await client.SignAsync(SignatureAlgorithm.ES256K, new byte[32]); // 429, then 200
        stopwatch.Stop();

        Assert.Equal(64, result.Signature.Length);
        Assert.Equal(1, server.ThrottledRequests);
        Assert.Equal(2, server.Signatures);
        // The retry delay is 10 ms in these options, so only Retry-After explains a wait of a second.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Sign_ResponseLostOnEveryAttempt_SurfacesATransportErrorAfterRetries()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        CryptographyClient client = Crypto(server, "signer", version, maxRetries: 2);
        server.Knobs.DropSignResponseEvery = 1;

        Exception e = await Assert.ThrowsAnyAsync<Exception>(() => client.SignAsync(SignatureAlgorithm.ES256K, new byte[32]));

        // Azure.Core reports exhausted retries as an AggregateException of the transport failures (status 0).
        AggregateException aggregate = Assert.IsType<AggregateException>(e);
        Assert.Equal(3, aggregate.InnerExceptions.Count);
        Assert.All(aggregate.InnerExceptions, inner => Assert.Equal(0, Assert.IsType<RequestFailedException>(inner).Status));
        Assert.Equal(3, server.Signatures);
        Assert.Equal(3, server.DroppedResponses);
    }

    [Fact]
    public async Task Sign_ResponseLostOnce_IsRetriedAndReturnsTheSecondSignature()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        CryptographyClient client = Crypto(server, "signer", version);
        server.Knobs.DropSignResponseEvery = 2;
        await client.SignAsync(SignatureAlgorithm.ES256K, new byte[32]);

        SignResult result = await client.SignAsync(SignatureAlgorithm.ES256K, SHA256.HashData("x"u8));

        using ECDsa publicKey = PublicKey(server, "signer", version);
        Assert.True(publicKey.VerifyHash(SHA256.HashData("x"u8), result.Signature));
        Assert.Equal(3, server.Signatures);
        Assert.Equal(1, server.DroppedResponses);
    }

    private static CryptographyClient Crypto(TestKeyVaultServer server, string name, string version, int maxRetries = 3) =>
        new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions(maxRetries)).GetCryptographyClient(name, version);

    private static ECDsa PublicKey(TestKeyVaultServer server, string name, string version)
    {
        byte[] xy = server.GetPublicKey(name, version);
        return ECDsa.Create(new ECParameters { Curve = ECCurve.CreateFromFriendlyName("secp256k1"), Q = new ECPoint { X = xy[..32], Y = xy[32..] } });
    }
}
