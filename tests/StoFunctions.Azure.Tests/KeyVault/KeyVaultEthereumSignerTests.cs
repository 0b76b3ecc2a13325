using Azure;
using Azure.Security.KeyVault.Keys;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Ethereum;
using StoFunctions.Testing;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

public sealed class KeyVaultEthereumSignerTests
{
    [Fact]
    public async Task CreateAsync_ImportedAnvilKey_DerivesThePublishedAddress()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.ImportKey("anvil-0", Hex.Decode(AnvilAccounts.PrivateKeys[0]));
        var keys = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        KeyVaultEthereumSigner signer = await KeyVaultEthereumSigner.CreateAsync(keys, "anvil-0");

        Assert.Equal(Address.Parse(AnvilAccounts.Addresses[0]), signer.Address);
        Assert.Equal(version, signer.Key.Properties.Version);
    }

    [Fact]
    public async Task SignHash_ServerReturnsHighS_YieldsLowSSignatureRecoveringToTheSigner()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        server.CreateKey("signer");
        server.Knobs.HighS = true;
        KeyVaultEthereumSigner signer = await CreateSignerAsync(server);

        for (int i = 0; i < 16; i++)
        {
            Hash32 hash = Keccak256.Hash(BitConverter.GetBytes(i));
            Signature signature = await signer.SignHashAsync(hash);

            Assert.True(signature.IsLowS, $"signature {i}: {signature}");
            Assert.Equal(signer.Address, Secp256k1.RecoverAddress(hash, signature));
        }

        Assert.Equal(16, server.Signatures);
    }

    [Fact]
    public async Task SignHash_ServerReturnsRAndSWithZeroTopByte_KeepsThemPaddedAndRecoversTheSigner()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        server.CreateKey("signer");
        server.Knobs.ShortRsEvery = 1;
        server.Knobs.HighS = true;
        KeyVaultEthereumSigner signer = await CreateSignerAsync(server);
        UInt256 twoPow248 = UInt256.Parse("0x100000000000000000000000000000000000000000000000000000000000000");

        for (int i = 1; i <= 6; i++)
        {
            Hash32 hash = Keccak256.Hash(BitConverter.GetBytes(i));
            Signature signature = await signer.SignHashAsync(hash);

            Assert.True(signature.IsLowS);
            Assert.True(i % 2 == 1 ? signature.R < twoPow248 : signature.S < twoPow248, $"signature {i}: {signature}");
            Assert.Equal(signer.Address, Secp256k1.RecoverAddress(hash, signature));
        }
    }

    [Fact]
    public async Task SignHash_AfterKeyRotation_KeepsSigningWithThePinnedVersion()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string pinned = server.CreateKey("signer");
        KeyVaultEthereumSigner signer = await CreateSignerAsync(server);
        server.CreateKey("signer");
        Hash32 hash = Keccak256.Hash("after rotation"u8);

        Signature signature = await signer.SignHashAsync(hash);

        Assert.Equal(pinned, signer.Key.Properties.Version);
        Assert.Equal(signer.Address, Secp256k1.RecoverAddress(hash, signature));
        Assert.Equal(Keccak256.Hash(server.GetPublicKey("signer", pinned)).ToArray()[12..], signer.Address.ToArray());
    }

    [Fact]
    public async Task SignHash_SignatureNotMadeByThePinnedKey_IsRefused()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        server.CreateKey("signer");
        server.Knobs.CorruptSignatureEvery = 1;
        KeyVaultEthereumSigner signer = await CreateSignerAsync(server);

        SignatureException e = await Assert.ThrowsAsync<SignatureException>(async () => await signer.SignHashAsync(Keccak256.Hash("x"u8)));

        Assert.Contains(signer.Address.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignHash_ResponseLost_SurfacesTheTransportErrorToTheCaller()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        server.CreateKey("signer");
        var keys = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions(maxRetries: 0));
        KeyVaultEthereumSigner signer = await KeyVaultEthereumSigner.CreateAsync(keys, "signer");
        server.Knobs.DropSignResponseEvery = 1;

        Exception e = await Assert.ThrowsAnyAsync<Exception>(async () => await signer.SignHashAsync(Keccak256.Hash("x"u8)));

        RequestFailedException transport = Assert.IsType<RequestFailedException>(e is AggregateException a ? Assert.Single(a.InnerExceptions) : e);
        Assert.Equal(0, transport.Status);
        Assert.Equal(1, server.Signatures);
    }

    [Fact]
    public async Task CreateAsync_KeyOnCurveP256_IsRefusedNamingTheCurveEthereumNeeds()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        var keys = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());
        KeyVaultKey p256 = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("wrong-curve", hardwareProtected: false) { CurveName = KeyCurveName.P256 })).Value;

        SignatureException e = await Assert.ThrowsAsync<SignatureException>(() => KeyVaultEthereumSigner.CreateAsync(keys, "wrong-curve"));

        Assert.Equal(KeyCurveName.P256, p256.Key.CurveName);
        Assert.Contains("crv P-256;", e.Message, StringComparison.Ordinal);
        Assert.Contains("P-256K", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Signatures);
    }

    [Fact]
    public async Task CreateAsync_UnknownKey_ThrowsKeyNotFound()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        var keys = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions());

        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => KeyVaultEthereumSigner.CreateAsync(keys, "nope"));

        Assert.Equal("KeyNotFound", e.ErrorCode);
    }

    private static async Task<KeyVaultEthereumSigner> CreateSignerAsync(TestKeyVaultServer server) =>
        await KeyVaultEthereumSigner.CreateAsync(new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions()), "signer");
}
