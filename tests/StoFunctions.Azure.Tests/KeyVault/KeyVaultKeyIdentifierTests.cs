using StoFunctions.Azure.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

public sealed class KeyVaultKeyIdentifierTests
{
    [Theory]
    [InlineData("https://myvault.vault.azure.net/keys/issuer/0123456789abcdef0123456789abcdef", "issuer", "0123456789abcdef0123456789abcdef")]
    [InlineData("https://myvault.vault.azure.net/keys/issuer-2", "issuer-2", null)]
    [InlineData("https://myvault.vault.azure.net:443/keys/issuer/", "issuer", null)]
    public void Parse_KeyId_YieldsVaultNameAndVersion(string id, string name, string? version)
    {
        KeyVaultKeyIdentifier parsed = KeyVaultKeyIdentifier.Parse(new Uri(id));

        Assert.Equal(new Uri("https://myvault.vault.azure.net/"), parsed.VaultUri);
        Assert.Equal(name, parsed.Name);
        Assert.Equal(version, parsed.Version);
    }

    [Theory]
    [InlineData("https://myvault.vault.azure.net/secrets/issuer/0123", "/secrets/issuer/0123")]
    [InlineData("https://myvault.vault.azure.net/keys", "/keys")]
    [InlineData("https://myvault.vault.azure.net/keys/a/b/c", "/keys/a/b/c")]
    [InlineData("https://myvault.vault.azure.net/keys/bad_name/0123", "'bad_name'")]
    [InlineData("https://myvault.vault.azure.net/keys/issuer/not-hex!", "'not-hex!'")]
    public void Parse_NotAKeyId_ThrowsNamingTheOffendingPart(string id, string offending)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => KeyVaultKeyIdentifier.Parse(new Uri(id)));

        Assert.Contains(offending, e.Message, StringComparison.Ordinal);
    }
}
