using Azure;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

/// <summary>The SDK's <see cref="KeyClient"/> against the test vault: the key reads and creations the signer and the tests rely on.</summary>
public sealed class KeyClientTests
{
    [Fact]
    public async Task GetKey_WithoutVersion_ReturnsLatestVersionWithItsPublicKey()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string first = server.CreateKey("signer");
        string second = server.CreateKey("signer");
        var client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        KeyVaultKey latest = (await client.GetKeyAsync("signer")).Value;
        KeyVaultKey pinned = (await client.GetKeyAsync("signer", first)).Value;

        Assert.Equal(second, latest.Properties.Version);
        Assert.Equal(first, pinned.Properties.Version);
        Assert.Equal($"https://{server.VaultHost}/keys/signer/{first}", pinned.Key.Id);
        Assert.Equal(KeyType.EcHsm, pinned.Key.KeyType);
        Assert.Equal(KeyCurveName.P256K, pinned.Key.CurveName);
        Assert.Equal(server.GetPublicKey("signer", first), Xy(pinned));
        Assert.Equal(server.GetPublicKey("signer", second), Xy(latest));
        Assert.Equal([KeyOperation.Sign, KeyOperation.Verify], pinned.Key.KeyOps);
        Assert.True(pinned.Properties.Enabled);
    }

    [Fact]
    public async Task CreateEcKey_TwiceWithSameName_CreatesTwoVersionsOfP256K()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        var client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        KeyVaultKey hsm = (await client.CreateEcKeyAsync(new CreateEcKeyOptions("issuer-1", hardwareProtected: true) { CurveName = KeyCurveName.P256K })).Value;
        KeyVaultKey software = (await client.CreateEcKeyAsync(new CreateEcKeyOptions("issuer-1", hardwareProtected: false) { CurveName = KeyCurveName.P256K })).Value;

        Assert.Equal(KeyType.EcHsm, hsm.Key.KeyType);
        Assert.Equal(KeyType.Ec, software.Key.KeyType);
        Assert.Equal(KeyCurveName.P256K, software.Key.CurveName);
        Assert.NotEqual(hsm.Properties.Version, software.Properties.Version);
        Assert.Equal(server.GetPublicKey("issuer-1", software.Properties.Version), Xy(software));
        Assert.Equal(software.Properties.Version, (await client.GetKeyAsync("issuer-1")).Value.Properties.Version);
    }

    [Fact]
    public async Task GetKey_UnknownName_ThrowsRequestFailedWithKeyNotFound()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        var client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetKeyAsync("missing"));

        Assert.Equal(404, e.Status);
        Assert.Equal("KeyNotFound", e.ErrorCode);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyClientOptions.ServiceVersion.V7_4)]
    [InlineData(KeyClientOptions.ServiceVersion.V7_5)]
    [InlineData(KeyClientOptions.ServiceVersion.V7_6)]
    public async Task GetKey_EachServiceVersion_IsAcceptedByTheVault(KeyClientOptions.ServiceVersion version)
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string v = server.CreateKey("signer");
        var versioned = new KeyClientOptions(version) { Transport = server.ClientOptions().Transport };
        var client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), versioned);

        Response<KeyVaultKey> response = await client.GetKeyAsync("signer", v);

        Assert.Equal(200, response.GetRawResponse().Status);
        Assert.Equal(v, response.Value.Properties.Version);
    }

    [Fact]
    public async Task GetCryptographyClient_SharesThePipeline_SoTheChallengeIsAnsweredOnce()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string v = server.CreateKey("signer");
        var credential = new RecordingTokenCredential();
        var client = new KeyClient(server.VaultUri, credential, server.ClientOptions());

        await client.GetKeyAsync("signer", v);
        CryptographyClient crypto = client.GetCryptographyClient("signer", v);
        await crypto.SignAsync(SignatureAlgorithm.ES256K, new byte[32]);
        await crypto.SignAsync(SignatureAlgorithm.ES256K, new byte[32]);

        Assert.Equal($"https://{server.VaultHost}/keys/signer/{v}", crypto.KeyId);
        Assert.Equal(1, server.UnauthenticatedRequests);
        Assert.Equal(2, server.Signatures);
        Assert.Single(credential.Requests);
    }

    private static byte[] Xy(KeyVaultKey key) => [.. key.Key.X, .. key.Key.Y];
}
