using StoFunctions.Azure.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

public sealed class KeyVaultChallengeTests
{
    [Theory]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tid1\", resource=\"https://vault.azure.net\"", "https://vault.azure.net/.default", "tid1")]
    [InlineData("Bearer authorization_uri=\"https://login.microsoftonline.com/tid2/\", resource=\"https://vault.azure.net/\"", "https://vault.azure.net/.default", "tid2")]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tid3\", scope=\"https://managedhsm.azure.net/.default\"", "https://managedhsm.azure.net/.default", "tid3")]
    [InlineData("PoP realm=\"\", authorization=\"https://login.microsoftonline.com/other\", nonce=\"n\", Bearer resource=\"https://vault.azure.net\", authorization=\"https://login.microsoftonline.com/tid4\"", "https://vault.azure.net/.default", "tid4")]
    [InlineData("bearer resource=https://vault.azure.net", "https://vault.azure.net/.default", null)]
    public void Parse_BearerChallenge_YieldsScopeAndTenant(string header, string scope, string? tenant)
    {
        KeyVaultChallenge? challenge = KeyVaultChallenge.Parse(header);

        Assert.Equal(new KeyVaultChallenge(scope, tenant), challenge);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Basic realm=\"vault\"")]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tid\"")]
    [InlineData("Bearer ,,, =\"\" \"")]
    public void Parse_NoUsableBearerChallenge_ReturnsNull(string header)
    {
        Assert.Null(KeyVaultChallenge.Parse(header));
    }
}
