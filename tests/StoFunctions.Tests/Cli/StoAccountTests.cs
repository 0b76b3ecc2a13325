using System.Security.Cryptography;
using Azure.Security.KeyVault.Keys;
using StoFunctions.Ethereum;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Tests.Cli;

/// <summary><c>sto ethereum-create-account</c>: a dev key (Local) and a P-256K key in a Key Vault (the repository's test vault over HTTPS).</summary>
public sealed class StoAccountTests
{
    private readonly StoConsole _sto = new(null);

    [Fact]
    public async Task WithoutAVault_PrintsAFreshDevKeyWhoseAddressMatchesTheKey_WithADevChainsOnlyWarning()
    {
        StoRun first = await _sto.RunRawAsync(["--json", "ethereum-create-account"]);
        StoRun second = await _sto.RunRawAsync(["--json", "ethereum-create-account"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("dev chains only", first.Error);
        string secret = first.Json().GetProperty("privateKey").GetString()!;
        Assert.NotEqual(secret, second.Json().GetProperty("privateKey").GetString());
        // Derived independently of the CLI's library: the platform's secp256k1 gives the public point.
        using ECDsa ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.CreateFromFriendlyName("secp256k1"), D = Hex.Decode(secret) });
        ECParameters parameters = ecdsa.ExportParameters(false);
        byte[] hash = Keccak256.Hash([.. parameters.Q.X!, .. parameters.Q.Y!]).ToArray();
        Assert.Equal(Address.Parse(Hex.Encode(hash.AsSpan(12))), Address.Parse(first.Json().GetProperty("address").GetString()!));
    }

    [Fact]
    public async Task WithAVault_CreatesAP256KKeyAndPrintsItsAddress_AndASecondRunWithTheSameNameIsRefusedWith2WithoutANewVersion()
    {
        await using TestKeyVaultServer vault = await TestKeyVaultServer.StartAsync();
        var client = new KeyClient(vault.VaultUri, new RecordingTokenCredential(), vault.ClientOptions());
        _sto.KeyClients = uri => uri == vault.VaultUri ? client : throw new InvalidOperationException($"unexpected vault {uri}");

        StoRun created = await _sto.RunRawAsync(["--json", "ethereum-create-account", "--key-vault", vault.VaultUri.ToString(), "--key-name", "sto-signer"]);

        Assert.True(created.ExitCode == 0, created.ToString());
        KeyVaultKey key = (await client.GetKeyAsync("sto-signer")).Value;
        Assert.Equal(KeyCurveName.P256K, key.Key.CurveName);
        Assert.Equal(key.Properties.Version, created.Json().GetProperty("keyVersion").GetString());
        byte[] hash = Keccak256.Hash(vault.GetPublicKey("sto-signer", key.Properties.Version)).ToArray();
        Assert.Equal(Address.Parse(Hex.Encode(hash.AsSpan(12))), Address.Parse(created.Json().GetProperty("address").GetString()!));

        StoRun again = await _sto.RunRawAsync(["ethereum-create-account", "--key-vault", vault.VaultUri.ToString(), "--key-name", "sto-signer"]);
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("already exists", again.Error);
        Assert.Equal(key.Properties.Version, (await client.GetKeyAsync("sto-signer")).Value.Properties.Version);
    }

    [Fact]
    public async Task AKeyNameWithoutAVault_Exits2()
    {
        StoRun run = await _sto.RunRawAsync(["ethereum-create-account", "--key-name", "x"]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--key-vault", run.Error);
    }
}
