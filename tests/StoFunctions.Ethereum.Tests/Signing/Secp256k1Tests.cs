using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Signing;

public class Secp256k1Tests(ITestOutputHelper output)
{
    [Fact]
    public void Trezor_rfc6979_vectors_give_exact_nonce_r_and_low_s()
    {
        using var doc = CoreVectors.Json("secp256k1", "trezor_ecdsa_sign_rfc6979.json");
        int cases = 0;
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var key = PrivateKey.Parse(test.GetProperty("privateKey").GetString()!);
                Hash32 hash = Hash32.FromBytes(SHA256.HashData(Encoding.ASCII.GetBytes(test.GetProperty("msg").GetString()!)));
                var expected = test.GetProperty("expected");
                Assert.Equal(UInt256.Parse("0x" + expected.GetProperty("k").GetString()), Secp256k1.FirstNonce(key, hash));
                Signature signature = key.Sign(hash);
                Assert.Equal(UInt256.Parse("0x" + expected.GetProperty("r").GetString()), signature.R);
                Assert.Equal(UInt256.Parse("0x" + expected.GetProperty("s").GetString()), signature.S);
                Assert.Equal(key.PublicKey, Secp256k1.RecoverPublicKey(hash, signature));
                cases++;
            }
        }

        output.WriteLine($"secp256k1/trezor_ecdsa_sign_rfc6979.json: {cases} cases");
        Assert.Equal(6, cases);
    }

    [Fact]
    public void Erc2098_examples_sign_recover_and_compact_exactly()
    {
        using var doc = CoreVectors.Json("secp256k1", "erc2098-signature-examples.json");
        int cases = 0;
        foreach (var test in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var key = PrivateKey.Parse(test.GetProperty("privateKey").GetString()!);
            var derived = test.GetProperty("derived_not_in_source");
            byte[] message = Encoding.UTF8.GetBytes(test.GetProperty("message").GetString()!);
            Hash32 hash = Keccak256.Hash([.. Encoding.UTF8.GetBytes($"\u0019Ethereum Signed Message:\n{message.Length}"), .. message]);
            Assert.Equal(derived.GetProperty("messageHash").GetString(), hash.ToString());

            Signature signature = key.Sign(hash);
            Assert.Equal(test.GetProperty("r").GetString(), Hex.Encode(signature.R.ToBigEndian()));
            Assert.Equal(test.GetProperty("s").GetString(), Hex.Encode(signature.S.ToBigEndian()));
            Assert.Equal(test.GetProperty("v").GetInt32(), 27 + signature.YParity);
            Assert.Equal(derived.GetProperty("recoveryId").GetInt32(), signature.YParity);

            var compact = test.GetProperty("compact");
            Assert.Equal(compact.GetProperty("r").GetString()![2..] + compact.GetProperty("yParityAndS").GetString()![2..], Hex.EncodeNoPrefix(signature.ToCompact()));

            PublicKey recovered = Secp256k1.RecoverPublicKey(hash, signature);
            Assert.Equal(derived.GetProperty("publicKeyUncompressed").GetString(), recovered.ToString());
            Assert.Equal(derived.GetProperty("address").GetString(), recovered.Address.ToString());
            Assert.Equal(recovered, PublicKey.FromBytes(recovered.ToCompressed()));
            cases++;
        }

        output.WriteLine($"secp256k1/erc2098-signature-examples.json: {cases} cases");
        Assert.Equal(2, cases);
    }

    [Fact]
    public void External_high_s_signature_without_recovery_id_is_normalised_and_recovers()
    {
        var key = PrivateKey.Parse("0x1234567890123456789012345678901234567890123456789012345678901234");
        int highS = 0;
        for (int i = 0; i < 8; i++)
        {
            Hash32 hash = Keccak256.Hash(BitConverter.GetBytes(i));
            Signature expected = key.Sign(hash);

            // Key Vault may return either s or n - s; both must map to the same canonical Ethereum signature.
            foreach (UInt256 s in new[] { expected.S, Secp256k1.Order - expected.S })
            {
                byte[] rs = [.. expected.R.ToBigEndian(), .. s.ToBigEndian()];
                Assert.Equal(expected, Secp256k1.FromExternalSignature(rs, hash, key.PublicKey));
                highS += s > Secp256k1.HalfOrder ? 1 : 0;
            }
        }

        Assert.Equal(8, highS);
    }

    [Fact]
    public void External_signature_with_short_r_is_accepted_through_the_integer_overload()
    {
        var key = PrivateKey.Parse("0x1234567890123456789012345678901234567890123456789012345678901234");

        // Find a hash whose r has a leading zero byte (about 1 in 256), as a DER signer would strip it.
        for (int i = 0; i < 5000; i++)
        {
            Hash32 hash = Keccak256.Hash(BitConverter.GetBytes(i));
            Signature expected = key.Sign(hash);
            byte[] r = expected.R.ToBigEndianTrimmed();
            if (r.Length < 32)
            {
                Signature normalised = Secp256k1.FromExternalSignature(
                    UInt256.FromBigEndian(r), UInt256.FromBigEndian((Secp256k1.Order - expected.S).ToBigEndianTrimmed()), hash, key.PublicKey);
                Assert.Equal(expected, normalised);
                return;
            }
        }

        Assert.Fail("no signature with a short r found in 5000 hashes");
    }

    [Fact]
    public void External_signature_from_another_key_is_rejected()
    {
        var key = PrivateKey.Parse("0x1234567890123456789012345678901234567890123456789012345678901234");
        var other = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        Hash32 hash = Keccak256.Hash("x"u8);
        Signature signature = key.Sign(hash);
        byte[] rs = [.. signature.R.ToBigEndian(), .. signature.S.ToBigEndian()];
        var ex = Assert.Throws<SignatureException>(() => Secp256k1.FromExternalSignature(rs, hash, other.PublicKey));
        Assert.Contains(other.Address.ToString(), ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<SignatureException>(() => Secp256k1.FromExternalSignature(rs.AsSpan(1), hash, key.PublicKey));
        Assert.Contains("got 63", ex.Message, StringComparison.Ordinal);

        byte[] zeroS = [.. signature.R.ToBigEndian(), .. new byte[32]];
        Assert.Throws<SignatureException>(() => Secp256k1.FromExternalSignature(zeroS, hash, key.PublicKey));
    }

    [Fact]
    public void Recover_rejects_out_of_range_r_and_s()
    {
        Hash32 hash = Keccak256.Hash("x"u8);
        var ex = Assert.Throws<SignatureException>(() => Secp256k1.RecoverPublicKey(hash, new Signature(UInt256.Zero, UInt256.One, 0)));
        Assert.Contains("r = 0x0 is outside", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<SignatureException>(() => Secp256k1.RecoverPublicKey(hash, new Signature(UInt256.One, Secp256k1.Order, 0)));
        Assert.Contains("s = 0xffff", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signatures_are_deterministic_low_s_and_recover_for_many_hashes()
    {
        var key = PrivateKey.Generate();
        for (int i = 0; i < 50; i++)
        {
            Hash32 hash = Keccak256.Hash(BitConverter.GetBytes(i * 7919));
            Signature signature = key.Sign(hash);
            Assert.True(signature.IsLowS);
            Assert.Equal(signature, key.Sign(hash));
            Assert.Equal(key.Address, Secp256k1.RecoverAddress(hash, signature));
            Signature flipped = new(signature.R, signature.S, (byte)(signature.YParity ^ 1));
            Assert.NotEqual(key.Address, Secp256k1.RecoverAddress(hash, flipped));
        }
    }

    [Fact]
    public void Verify_agrees_with_recovery_for_both_bits_high_s_other_keys_and_other_hashes()
    {
        var key = PrivateKey.Generate();
        var other = PrivateKey.Generate();
        int agreed = 0;
        for (int i = 0; i < 40; i++)
        {
            Hash32 hash = Keccak256.Hash(BitConverter.GetBytes(i * 104729));
            Signature low = key.Sign(hash);
            Signature[] variants =
            [
                low,
                new(low.R, low.S, (byte)(low.YParity ^ 1)),
                new(low.R, Secp256k1.Order - low.S, (byte)(low.YParity ^ 1)),
                new(low.R, Secp256k1.Order - low.S, low.YParity),
            ];
            foreach (Signature variant in variants)
            {
                foreach (PublicKey candidate in new[] { key.PublicKey, other.PublicKey })
                {
                    bool recovers = Secp256k1.TryRecoverPublicKey(hash, variant, out PublicKey? recovered, out _) && recovered.Equals(candidate);
                    Assert.Equal(recovers, Secp256k1.Verify(hash, variant, candidate));
                    agreed += recovers ? 1 : 0;
                }
            }

            Assert.False(Secp256k1.Verify(Keccak256.Hash(hash.ToArray()), low, key.PublicKey));
        }

        // Exactly the signature and its high-S twin (with the flipped bit) recover the key: 2 per hash.
        Assert.Equal(80, agreed);
    }

    [Fact]
    public void Verify_rejects_out_of_range_r_and_s_without_throwing()
    {
        var key = PrivateKey.Generate();
        Hash32 hash = Keccak256.Hash("x"u8);
        Signature good = key.Sign(hash);
        Assert.True(Secp256k1.Verify(hash, good, key.PublicKey));
        Assert.False(Secp256k1.Verify(hash, new Signature(UInt256.Zero, good.S, good.YParity), key.PublicKey));
        Assert.False(Secp256k1.Verify(hash, new Signature(good.R, UInt256.Zero, good.YParity), key.PublicKey));
        Assert.False(Secp256k1.Verify(hash, new Signature(good.R, Secp256k1.Order, good.YParity), key.PublicKey));
        Assert.False(Secp256k1.Verify(hash, new Signature(Secp256k1.Order, good.S, good.YParity), key.PublicKey));
    }
}
