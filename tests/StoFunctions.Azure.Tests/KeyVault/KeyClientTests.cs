using Azure;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

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

        Assert.Equal(second, latest.Version);
        Assert.Equal(first, pinned.Version);
        Assert.Equal($"https://{server.VaultHost}/keys/signer/{first}", pinned.Key.Id);
        Assert.Equal("EC-HSM", pinned.Key.KeyType);
        Assert.Equal("P-256K", pinned.Key.CurveName);
        Assert.Equal(server.GetPublicKey("signer", first), Xy(pinned));
        Assert.Equal(server.GetPublicKey("signer", second), Xy(latest));
        Assert.Equal(["sign", "verify"], pinned.Key.KeyOps);
        Assert.True(pinned.Enabled);
    }

    [Fact]
    public async Task CreateEcKey_TwiceWithSameName_CreatesTwoVersionsOfP256K()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        var client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        KeyVaultKey hsm = (await client.CreateEcKeyAsync("issuer-1")).Value;
        KeyVaultKey software = (await client.CreateEcKeyAsync("issuer-1", hardwareProtected: false)).Value;

        Assert.Equal("EC-HSM", hsm.Key.KeyType);
        Assert.Equal("EC", software.Key.KeyType);
        Assert.NotEqual(hsm.Version, software.Version);
        Assert.Equal(server.GetPublicKey("issuer-1", software.Version), Xy(software));
        Assert.Equal(software.Version, (await client.GetKeyAsync("issuer-1")).Value.Version);
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
    [InlineData("has/slash")]
    [InlineData("has space")]
    [InlineData("under_score")]
    [InlineData("")]
    public async Task GetKey_InvalidName_ThrowsBeforeAnyRequest(string name)
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        var client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => client.GetKeyAsync(name));

        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.UnauthenticatedRequests + server.AuthenticatedRequests);
    }

    [Fact]
    public void Constructor_HttpVaultUri_ThrowsBecauseTokensWouldTravelInClearText()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new KeyClient(new Uri("http://myvault.vault.azure.net/"), new RecordingTokenCredential()));

        Assert.Contains("https", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyVaultClientOptions.ServiceVersion.V7_4)]
    [InlineData(KeyVaultClientOptions.ServiceVersion.V7_5)]
    public async Task GetKey_EachServiceVersion_IsAcceptedByTheVault(KeyVaultClientOptions.ServiceVersion version)
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string v = server.CreateKey("signer");
        KeyVaultClientOptions options = server.ClientOptions();
        var versioned = new KeyVaultClientOptions(version) { Transport = options.Transport };
        var client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), versioned);

        Response<KeyVaultKey> response = await client.GetKeyAsync("signer", v);

        Assert.Equal(200, response.GetRawResponse().Status);
        Assert.Equal(v, response.Value.Version);
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

        Assert.Equal($"https://{server.VaultHost}/keys/signer/{v}", crypto.KeyId);
        Assert.Equal(1, server.UnauthenticatedRequests);
        Assert.Single(credential.Requests);
    }

    private static byte[] Xy(KeyVaultKey key) => [.. key.Key.X!, .. key.Key.Y!];
}
