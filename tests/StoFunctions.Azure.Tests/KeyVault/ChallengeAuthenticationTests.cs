using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

/// <summary>
/// The SDK's challenge-based bearer authentication against the test vault: the vault must answer like Key Vault
/// (401 + <c>WWW-Authenticate: Bearer authorization=…, resource=…</c>) for the SDK to take a token for the right
/// resource and tenant, and the SDK's resource check must keep a look-alike challenge from obtaining one.
/// </summary>
public sealed class ChallengeAuthenticationTests
{
    private const string Tenant = "5b1f2c3d-0000-4000-8000-0000000000aa";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FirstRequest_ProbesWithoutToken_ThenUsesTokenForChallengedResourceAndTenant_CachedThereafter(bool challengeUsesScope)
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        server.Knobs.ChallengeTenant = Tenant;
        server.Knobs.ChallengeUsesScope = challengeUsesScope;
        string expectedToken = RecordingTokenCredential.TokenFor("https://vault.azure.net/.default", Tenant);
        server.Knobs.RequiredBearerToken = expectedToken;
        var credential = new RecordingTokenCredential();
        var keys = new KeyClient(server.VaultUri, credential, server.ClientOptions());

        // The first call is a POST (create): its body must survive the body-less probe.
        KeyVaultKey created = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer", hardwareProtected: true) { CurveName = KeyCurveName.P256K })).Value;
        SignResult signed = await keys.GetCryptographyClient("signer", version).SignAsync(SignatureAlgorithm.ES256K, new byte[32]);
        for (int i = 0; i < 3; i++)
        {
            await keys.GetKeyAsync("signer", version);
        }

        Assert.Equal(KeyCurveName.P256K, created.Key.CurveName);
        Assert.Equal(64, signed.Signature.Length);
        Assert.Equal(1, server.UnauthenticatedRequests);
        Assert.Equal(0, server.UnauthenticatedRequestsWithBody);
        Assert.Equal(expectedToken, Assert.Single(server.BearerTokens).Key);
        Assert.Equal(server.AuthenticatedRequests, server.BearerTokens[expectedToken]);
        TokenRequestContext request = Assert.Single(credential.Requests);
        Assert.Equal(["https://vault.azure.net/.default"], request.Scopes);
        Assert.Equal(Tenant, request.TenantId);
    }

    [Fact]
    public async Task ExpiredToken_IsReplacedFromTheCredential_WithoutAnotherProbe()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        var credential = new RecordingTokenCredential(lifetime: TimeSpan.FromMilliseconds(500));
        var keys = new KeyClient(server.VaultUri, credential, server.ClientOptions());

        await keys.GetKeyAsync("signer", version);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await keys.GetKeyAsync("signer", version);

        Assert.Equal(1, server.UnauthenticatedRequests);
        Assert.Equal(2, server.AuthenticatedRequests);
        Assert.Equal(2, server.BearerTokens.Count);
        Assert.All(credential.Requests, r => Assert.Equal(["https://vault.azure.net/.default"], r.Scopes));
    }

    [Fact]
    public async Task Challenge_ForAnotherDomain_IsRejectedWithoutRequestingOrSendingAToken()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        server.Knobs.ChallengeResource = "https://vault.attacker.example";
        var credential = new RecordingTokenCredential();
        var keys = new KeyClient(server.VaultUri, credential, server.ClientOptions());

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => keys.GetKeyAsync("signer", version));

        Assert.Contains("vault.attacker.example", e.Message, StringComparison.Ordinal);
        Assert.Empty(credential.Requests);
        Assert.Equal(1, server.UnauthenticatedRequests);
        Assert.Equal(0, server.AuthenticatedRequests);
    }

    [Fact]
    public async Task Challenge_ForAnotherDomain_IsAcceptedOnlyWhenVerificationIsExplicitlyDisabled()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        server.Knobs.ChallengeResource = "https://vault.sovereign.example";
        var credential = new RecordingTokenCredential();
        KeyClientOptions options = server.ClientOptions();
        options.DisableChallengeResourceVerification = true;
        var keys = new KeyClient(server.VaultUri, credential, options);

        KeyVaultKey key = (await keys.GetKeyAsync("signer", version)).Value;

        Assert.Equal(version, key.Properties.Version);
        Assert.Equal(["https://vault.sovereign.example/.default"], Assert.Single(credential.Requests).Scopes);
    }

    [Fact]
    public async Task RejectedToken_AfterTheChallenge_SurfacesThe401ToTheCaller()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        server.Knobs.RequiredBearerToken = "a token this credential never issues";
        var keys = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => keys.GetKeyAsync("signer", version));

        Assert.Equal(401, e.Status);
        Assert.Equal("Unauthorized", e.ErrorCode);
        Assert.Equal(2, server.UnauthenticatedRequests);
    }
}
