using Azure.Security.KeyVault.Keys;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// The real app in <c>Signer:Mode</c> <c>KeyVault</c>: the composition opens the signer through the SDK's
/// <see cref="KeyClient"/> (here the test vault's, with a test credential in place of DefaultAzureCredential) and
/// the lane's transactions are signed by the vault key, through high-S answers and throttling.
/// </summary>
public sealed class KeyVaultModeTests(PrivateChain chain) : IClassFixture<PrivateChain>
{
    [Fact]
    public async Task KeyVaultMode_IssuesATokenSignedByTheVaultKey_PinningItsVersionAndUsingTheChallengedScope()
    {
        await using TestKeyVaultServer vault = await TestKeyVaultServer.StartAsync();
        // A fresh key, not anvil's dev key 0 that Local mode signs with: the sender's nonce shows who signed.
        string version = vault.CreateKey("issuer");
        Address vaultAddress = PublicKey.FromBytes(vault.GetPublicKey("issuer", version)).Address;
        await chain.Anvil.RpcAsync("anvil_setBalance", vaultAddress.ToString(), "0x56BC75E2D63100000");
        var credential = new RecordingTokenCredential();
        var settings = new Dictionary<string, string?>
        {
            ["Signer:Mode"] = "KeyVault",
            ["Signer:LocalPrivateKey"] = null,
            ["Signer:KeyVaultUrl"] = vault.VaultUri.ToString(),
            ["Signer:KeyName"] = "issuer",
        };
        PlatformApp app = PlatformApp.Attach(chain.Azurite, chain.Anvil, settings,
            services => services.AddSingleton(new KeyClient(vault.VaultUri, credential, vault.ClientOptions(maxRetries: 5))));
        try
        {
            vault.CreateKey("issuer"); // a newer version after start: the signer keeps the one it pinned
            vault.Knobs.HighS = true;
            vault.Knobs.ThrottleEvery = 3;

            Address token = await app.IssueAsync("1000");

            var signer = Assert.IsType<KeyVaultEthereumSigner>(app.Services.GetRequiredService<ISigner>());
            Assert.Equal(vaultAddress, signer.Address);
            Assert.Equal(version, signer.Key.Properties.Version);
            ulong sent = await app.Rpc.GetTransactionCountAsync(vaultAddress, BlockParameter.Latest);
            Assert.True(sent >= 1, $"the vault key's address sent {sent} transactions");
            Assert.True(vault.Signatures >= (int)sent, $"{vault.Signatures} signatures for {sent} transactions");
            Assert.True(vault.ThrottledRequests >= 1, $"throttled {vault.ThrottledRequests}");
            Assert.NotEqual(default, token);
            Assert.All(credential.Requests, r => Assert.Equal(["https://vault.azure.net/.default"], r.Scopes));
            Assert.NotEmpty(credential.Requests);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
