using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace StoFunctions.Testing.KeyVault;

/// <summary>
/// Produces valid secp256k1 ECDSA signatures whose r, or whose low-S form of s, has a zero top byte: the
/// "short r/s" case that breaks signers which round-trip through a big integer without left-padding
/// (celo-monorepo #3498). Key Vault never lets the caller choose k, so the test server searches k: it walks
/// R = kG, (k+1)G, … with one affine point addition per step (about 2/256 of the steps qualify), which is
/// far cheaper than a fresh scalar multiplication per attempt. The result is verified with the platform's
/// OpenSSL ECDSA before it is returned, so a mistake here fails loudly instead of emitting a bad signature.
/// </summary>
internal static class Secp256k1SignatureCrafter
{
    private static readonly BigInteger s_p = Parse("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F");
    private static readonly BigInteger s_n = Parse("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
    private static readonly BigInteger s_gx = Parse("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798");
    private static readonly BigInteger s_gy = Parse("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8");
    private static readonly BigInteger s_twoPow248 = BigInteger.One << 248;

    /// <summary>The group order n.</summary>
    public static BigInteger Order => s_n;

    /// <summary>
    /// Signs <paramref name="digest"/> with private key <paramref name="d"/> so that r (when
    /// <paramref name="shortR"/>) or the low-S form of s (otherwise) is below 2^248. Returns (r, s) with s low.
    /// </summary>
    public static (BigInteger R, BigInteger S) Sign(ECDsa key, BigInteger d, ReadOnlySpan<byte> digest, bool shortR)
    {
        BigInteger z = new(digest, isUnsigned: true, isBigEndian: true);
        BigInteger k = RandomScalar();
        (BigInteger x, BigInteger y) = Multiply(key, k);
        for (int step = 0; step < 100_000; step++, k++)
        {
            if (step > 0)
            {
                (x, y) = AddG(x, y);
            }

            BigInteger r = x % s_n;
            if (r.IsZero || (shortR && r >= s_twoPow248))
            {
                continue;
            }

            BigInteger s = ModInverse(k % s_n, s_n) * (z + (r * d)) % s_n;
            if (s > s_n / 2)
            {
                s = s_n - s;
            }

            if (s.IsZero || (!shortR && s >= s_twoPow248))
            {
                continue;
            }

            byte[] signature = ToFixed64(r, s);
            if (!key.VerifyHash(digest, signature))
            {
                throw new InvalidOperationException("Crafted secp256k1 signature failed OpenSSL verification: the test server's curve arithmetic is wrong.");
            }

            return (r, s);
        }

        throw new InvalidOperationException("No short r/s found in 100,000 steps; this is astronomically unlikely and means the search is broken.");
    }

    /// <summary>r and s as 32-byte big-endian halves.</summary>
    public static byte[] ToFixed64(BigInteger r, BigInteger s)
    {
        byte[] result = new byte[64];
        r.TryWriteBytes(result.AsSpan(0, 32)[(32 - r.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        s.TryWriteBytes(result.AsSpan(32, 32)[(32 - s.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        return result;
    }

    private static (BigInteger X, BigInteger Y) Multiply(ECDsa key, BigInteger k)
    {
        // The platform derives the public point from a private scalar, which gives k·G without our own ladder.
        byte[] scalar = new byte[32];
        k.TryWriteBytes(scalar.AsSpan()[(32 - k.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        using ECDsa ephemeral = ECDsa.Create(new ECParameters { Curve = key.ExportParameters(false).Curve, D = scalar });
        ECPoint q = ephemeral.ExportParameters(false).Q;
        return (new BigInteger(q.X, isUnsigned: true, isBigEndian: true), new BigInteger(q.Y, isUnsigned: true, isBigEndian: true));
    }

    private static (BigInteger X, BigInteger Y) AddG(BigInteger x, BigInteger y)
    {
        // Affine addition P + G (P ≠ ±G is guaranteed for a random k far from 1 and n−1).
        BigInteger lambda = Mod((s_gy - y) * ModInverse(Mod(s_gx - x, s_p), s_p), s_p);
        BigInteger x3 = Mod((lambda * lambda) - x - s_gx, s_p);
        BigInteger y3 = Mod((lambda * (x - x3)) - y, s_p);
        return (x3, y3);
    }

    private static BigInteger RandomScalar()
    {
        Span<byte> bytes = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            BigInteger k = new(bytes, isUnsigned: true, isBigEndian: true);
            if (k > 1_000_000 && k < s_n - 1_000_000)
            {
                return k;
            }
        }
    }

    private static BigInteger Mod(BigInteger value, BigInteger modulus)
    {
        BigInteger r = value % modulus;
        return r.Sign < 0 ? r + modulus : r;
    }

    private static BigInteger ModInverse(BigInteger value, BigInteger modulus)
    {
        BigInteger oldR = Mod(value, modulus), r = modulus, oldS = BigInteger.One, s = BigInteger.Zero;
        while (!r.IsZero)
        {
            BigInteger q = BigInteger.Divide(oldR, r);
            (oldR, r) = (r, oldR - (q * r));
            (oldS, s) = (s, oldS - (q * s));
        }

        return Mod(oldS, modulus);
    }

    private static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
