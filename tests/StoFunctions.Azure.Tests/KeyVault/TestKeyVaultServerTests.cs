using System.Numerics;
using System.Security.Cryptography;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

/// <summary>The fault knobs must really produce what the signer tests rely on; otherwise those tests prove nothing.</summary>
public sealed class TestKeyVaultServerTests
{
    private static readonly BigInteger s_halfOrder = BigInteger.Parse("07FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public async Task HighSKnob_EverySignatureHasSAboveHalfTheOrderAndStillVerifies()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        server.Knobs.HighS = true;
        CryptographyClient client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions()).GetCryptographyClient("signer", version);
        using ECDsa publicKey = PublicKey(server, version);

        for (int i = 0; i < 20; i++)
        {
            byte[] digest = SHA256.HashData(BitConverter.GetBytes(i));
            byte[] signature = (await client.SignAsync(SignatureAlgorithm.ES256K, digest)).Signature;

            Assert.True(Half(signature, 1) > s_halfOrder, $"signature {i} has low s");
            Assert.True(publicKey.VerifyHash(digest, signature));
        }
    }

    [Fact]
    public async Task ShortRsKnob_AlternatesZeroTopByteInRAndInLowS_AsValid64ByteSignatures()
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("signer");
        server.Knobs.ShortRsEvery = 1;
        CryptographyClient client = new KeyClient(server.VaultUri, new RecordingTokenCredential(), server.ClientOptions()).GetCryptographyClient("signer", version);
        using ECDsa publicKey = PublicKey(server, version);

        for (int i = 1; i <= 6; i++)
        {
            byte[] digest = SHA256.HashData(BitConverter.GetBytes(i));
            byte[] signature = (await client.SignAsync(SignatureAlgorithm.ES256K, digest)).Signature;

            Assert.Equal(64, signature.Length);
            Assert.True(publicKey.VerifyHash(digest, signature));
            if (i % 2 == 1)
            {
                Assert.Equal(0, signature[0]);
            }
            else
            {
                Assert.Equal(0, signature[32]);
            }
        }
    }

    private static BigInteger Half(byte[] signature, int index) => new(signature.AsSpan(index * 32, 32), isUnsigned: true, isBigEndian: true);

    private static ECDsa PublicKey(TestKeyVaultServer server, string version)
    {
        byte[] xy = server.GetPublicKey("signer", version);
        return ECDsa.Create(new ECParameters { Curve = ECCurve.CreateFromFriendlyName("secp256k1"), Q = new ECPoint { X = xy[..32], Y = xy[32..] } });
    }
}
