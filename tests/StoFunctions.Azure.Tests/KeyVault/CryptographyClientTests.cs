using System.Diagnostics;
using System.Security.Cryptography;
using Azure;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

public sealed class CryptographyClientTests
{
    [Fact]
    public async Task Sign_Es256kDigest_Returns64ByteRsThatVerifiesWithThePublicKey()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        var client = new CryptographyClient(new Uri(server.VaultUri, $"keys/signer/{version}"), new RecordingTokenCredential(), server.ClientOptions());
        byte[] digest = SHA256.HashData("transfer 100 shares"u8);

        SignResult first = await client.SignAsync(SignatureAlgorithm.ES256K, digest);
        SignResult second = await client.SignAsync(SignatureAlgorithm.ES256K, digest);

        Assert.Equal(64, first.Signature.Length);
        Assert.Equal(client.KeyId, first.KeyId);
        Assert.Equal(SignatureAlgorithm.ES256K, first.Algorithm);
        using ECDsa publicKey = PublicKey(server, "signer", version);
        Assert.True(publicKey.VerifyHash(digest, first.Signature));
        Assert.True(publicKey.VerifyHash(digest, second.Signature));
        Assert.NotEqual(first.Signature, second.Signature); // random k, as an HSM
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public async Task Sign_DigestNot32Bytes_ThrowsBeforeAnyRequest(int length)
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        var client = new CryptographyClient(new Uri(server.VaultUri, "keys/signer/0123abcd"), new RecordingTokenCredential(), server.ClientOptions());

        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => client.SignAsync(SignatureAlgorithm.ES256K, new byte[length]));

        Assert.Contains($"got {length} bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.UnauthenticatedRequests + server.AuthenticatedRequests);
    }

    [Fact]
    public void Constructor_KeyIdWithoutVersion_ThrowsAskingToPinIt()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new CryptographyClient(new Uri("https://myvault.vault.azure.net/keys/signer"), new RecordingTokenCredential()));

        Assert.Contains("pin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_WrongAlgorithmForTheCurve_ThrowsBadParameterFromTheService()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        var client = new CryptographyClient(new Uri(server.VaultUri, $"keys/signer/{version}"), new RecordingTokenCredential(), server.ClientOptions());

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => client.SignAsync(new SignatureAlgorithm("ECDSA256"), new byte[32]));

        Assert.Equal(400, e.Status);
        Assert.Equal("BadParameter", e.ErrorCode);
    }

    [Fact]
    public async Task Sign_Throttled429_IsRetriedAfterRetryAfterAndSucceeds()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        var client = new CryptographyClient(new Uri(server.VaultUri, $"keys/signer/{version}"), new RecordingTokenCredential(), server.ClientOptions());
        await client.SignAsync(SignatureAlgorithm.ES256K, new byte[32]); // authenticated request #1
        server.Knobs.ThrottleEvery = 2;
        server.Knobs.RetryAfterSeconds = 1;

        var stopwatch = Stopwatch.StartNew();
        SignResult result = await client.SignAsync(SignatureAlgorithm.ES256K, new byte[32]); // #2 → 429, #3 → 200
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
        var client = new CryptographyClient(new Uri(server.VaultUri, $"keys/signer/{version}"), new RecordingTokenCredential(), server.ClientOptions(maxRetries: 2));
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
        var client = new CryptographyClient(new Uri(server.VaultUri, $"keys/signer/{version}"), new RecordingTokenCredential(), server.ClientOptions());
        server.Knobs.DropSignResponseEvery = 2;
        await client.SignAsync(SignatureAlgorithm.ES256K, new byte[32]);

        SignResult result = await client.SignAsync(SignatureAlgorithm.ES256K, SHA256.HashData("x"u8));

        using ECDsa publicKey = PublicKey(server, "signer", version);
        Assert.True(publicKey.VerifyHash(SHA256.HashData("x"u8), result.Signature));
        Assert.Equal(3, server.Signatures);
        Assert.Equal(1, server.DroppedResponses);
    }

    private static ECDsa PublicKey(TestKeyVaultServer server, string name, string version)
    {
        byte[] xy = server.GetPublicKey(name, version);
        return ECDsa.Create(new ECParameters { Curve = ECCurve.CreateFromFriendlyName("secp256k1"), Q = new ECPoint { X = xy[..32], Y = xy[32..] } });
    }
}
