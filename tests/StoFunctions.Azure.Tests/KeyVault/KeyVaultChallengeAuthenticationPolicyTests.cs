using Azure;
using Azure.Core;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

public sealed class KeyVaultChallengeAuthenticationPolicyTests
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
        CryptographyClient crypto = keys.GetCryptographyClient("signer", version);

        // The first call is a POST: its body must survive the body-less probe.
        SignResult signed = await crypto.SignAsync(SignatureAlgorithm.ES256K, new byte[32]);
        for (int i = 0; i < 4; i++)
        {
            await keys.GetKeyAsync("signer", version);
        }

        Assert.Equal(64, signed.Signature.Length);
        Assert.Equal(1, server.UnauthenticatedRequests);
        Assert.Equal(0, server.UnauthenticatedRequestsWithBody);
        Assert.Equal(5, server.AuthenticatedRequests);
        Assert.Equal(new Dictionary<string, int> { [expectedToken] = 5 }, server.BearerTokens);
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
        Assert.Contains(server.VaultHost, e.Message, StringComparison.Ordinal);
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
        KeyVaultClientOptions options = server.ClientOptions();
        options.DisableChallengeResourceVerification = true;
        var keys = new KeyClient(server.VaultUri, credential, options);

        KeyVaultKey key = (await keys.GetKeyAsync("signer", version)).Value;

        Assert.Equal(version, key.Version);
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
