using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace StoFunctions.Ethereum;

/// <summary>
/// ECDSA over secp256k1 as Ethereum uses it: RFC 6979 deterministic nonces (HMAC-SHA256), low-S signatures
/// (<see href="https://eips.ethereum.org/EIPS/eip-2">EIP-2</see>), the recovery id, and public-key recovery.
/// Field and group arithmetic come from BouncyCastle's specialised secp256k1 curve (GLV endomorphism); k·G
/// uses a fixed-base table built once (<see cref="FixedBaseTable"/>).
/// </summary>
public static class Secp256k1
{
    private static readonly X9ECParameters s_parameters = CustomNamedCurves.GetByName("secp256k1");
    private static readonly BcBigInteger s_n = s_parameters.N;
    private static readonly BcBigInteger s_halfN = s_n.ShiftRight(1);

    /// <summary>The group order n.</summary>
    public static UInt256 Order { get; } = ToUInt256(s_n);

    /// <summary>⌊n / 2⌋: the largest S allowed by EIP-2.</summary>
    public static UInt256 HalfOrder { get; } = ToUInt256(s_halfN);

    internal static ECCurve Curve => s_parameters.Curve;

    internal static ECPoint G => s_parameters.G;

    internal static BcBigInteger N => s_n;

    /// <summary>Signs a 32-byte hash with RFC 6979 and returns the low-S signature with its recovery bit.</summary>
    public static Signature Sign(PrivateKey key, Hash32 hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Sign(key.Scalar, hash, lowS: true);
    }

    /// <summary>Recovers the signer's public key from a hash and an Ethereum signature.</summary>
    /// <exception cref="SignatureException">r or s is out of range, or no point recovers.</exception>
    public static PublicKey RecoverPublicKey(Hash32 hash, Signature signature) =>
        TryRecoverPublicKey(hash, signature, out PublicKey? key, out string? error)
            ? key
            : throw new SignatureException(error);

    /// <summary>Recovers the signer's address from a hash and an Ethereum signature.</summary>
    /// <exception cref="SignatureException">r or s is out of range, or no point recovers.</exception>
    public static Address RecoverAddress(Hash32 hash, Signature signature) => RecoverPublicKey(hash, signature).Address;

    /// <summary>Recovers like <see cref="RecoverPublicKey"/>; returns false with a reason instead of throwing.</summary>
    public static bool TryRecoverPublicKey(
        Hash32 hash,
        Signature signature,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PublicKey? publicKey,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        publicKey = null;
        BcBigInteger r = ToBc(signature.R);
        BcBigInteger s = ToBc(signature.S);
        if (r.SignValue == 0 || r.CompareTo(s_n) >= 0)
        {
            error = $"Signature r = {signature.R.ToHexQuantity()} is outside 1 … n-1.";
            return false;
        }

        if (s.SignValue == 0 || s.CompareTo(s_n) >= 0)
        {
            error = $"Signature s = {signature.S.ToHexQuantity()} is outside 1 … n-1.";
            return false;
        }

        // r < n < p always here, so the x coordinate of R is r itself (recovery ids 2 and 3, where x = r + n,
        // need r < p - n, which has probability ~2^-128 and is never produced by Ethereum signers).
        byte[] compressed = new byte[33];
        compressed[0] = (byte)(0x02 | signature.YParity);
        signature.R.WriteBigEndian(compressed.AsSpan(1));
        ECPoint bigR;
        try
        {
            bigR = Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            error = $"Signature r = {signature.R.ToHexQuantity()} is not the x coordinate of a secp256k1 point, so no public key recovers.";
            return false;
        }

        BcBigInteger e = HashToInteger(hash);
        BcBigInteger rInverse = r.ModInverse(s_n);
        BcBigInteger u1 = s_n.Subtract(e).Multiply(rInverse).Mod(s_n);
        BcBigInteger u2 = s.Multiply(rInverse).Mod(s_n);
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(G, u1, bigR, u2).Normalize();
        if (q.IsInfinity)
        {
            error = "The recovered public key is the point at infinity; the signature is invalid for this hash.";
            return false;
        }

        publicKey = new PublicKey(q);
        error = null;
        return true;
    }

    /// <summary>
    /// Turns an external 64-byte <c>r ‖ s</c> signature (Azure Key Vault's ES256K output, which is neither
    /// low-S normalised nor carries a recovery id) into an Ethereum signature: S is replaced by n − S when it is
    /// in the upper half, then the recovery bit is read off the verification point computed with the signer's
    /// known public key (one verification, not up to two recoveries).
    /// </summary>
    /// <exception cref="SignatureException">The input is not 64 bytes, r or s is out of range, or neither recovery bit yields <paramref name="expected"/>.</exception>
    public static Signature FromExternalSignature(ReadOnlySpan<byte> rs, Hash32 hash, PublicKey expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (rs.Length != 64)
        {
            throw new SignatureException(
                $"An external signature must be 64 bytes r ‖ s (each left-padded to 32 bytes); got {rs.Length}. " +
                "If the signer stripped leading zeros (DER), pad r and s to 32 bytes each or use the UInt256 overload.");
        }

        return FromExternalSignature(UInt256.FromBigEndian(rs[..32]), UInt256.FromBigEndian(rs[32..]), hash, expected);
    }

    /// <summary>
    /// Like <see cref="FromExternalSignature(ReadOnlySpan{byte}, Hash32, PublicKey)"/> for a signer that returns r and s
    /// separately (e.g. DER, where leading zero bytes are stripped): read each with <see cref="UInt256.FromBigEndian"/>.
    /// </summary>
    /// <exception cref="SignatureException">r or s is out of range, or neither recovery bit yields <paramref name="expected"/>.</exception>
    public static Signature FromExternalSignature(UInt256 r, UInt256 s, Hash32 hash, PublicKey expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (s.IsZero || s >= Order || r.IsZero || r >= Order)
        {
            throw new SignatureException($"External signature has r = {r.ToHexQuantity()}, s = {s.ToHexQuantity()}; both must be in 1 … n-1.");
        }

        if (s > HalfOrder)
        {
            s = Order - s;
        }

        if (TryRecoveryParity(hash, ToBc(r), ToBc(s), expected, out byte parity))
        {
            return new Signature(r, s, parity);
        }

        throw new SignatureException(
            $"The external signature does not verify for hash {hash} under the expected key of {expected.Address}; " +
            "check that the key version signed this exact digest and that r ‖ s are in big-endian order.");
    }

    /// <summary>
    /// True when <paramref name="signature"/>, recovery bit included, recovers <paramref name="key"/> for
    /// <paramref name="hash"/> — the same answer as comparing <see cref="RecoverPublicKey"/> with the key, at a
    /// fraction of the cost for a key checked repeatedly (a signer's own key): ECDSA verification
    /// R' = (e/s)·G + (r/s)·Q with both multiplies from precomputed tables, then R'.x = r and R'.y's parity = v.
    /// </summary>
    public static bool Verify(Hash32 hash, Signature signature, PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (signature.R.IsZero || signature.R >= Order || signature.S.IsZero || signature.S >= Order)
        {
            return false;
        }

        return TryRecoveryParity(hash, ToBc(signature.R), ToBc(signature.S), key, out byte parity) && parity == signature.YParity;
    }

    // sR = eG + rQ for a valid signature, so R = (e/s)G + (r/s)Q: the point whose x is r and whose y parity is the
    // recovery bit. x ≥ n (recovery ids 2 and 3) is reported as no match: Ethereum's v cannot express it.
    private static bool TryRecoveryParity(Hash32 hash, BcBigInteger r, BcBigInteger s, PublicKey key, out byte parity)
    {
        BcBigInteger w = s.ModInverse(s_n);
        BcBigInteger u1 = HashToInteger(hash).Multiply(w).Mod(s_n);
        BcBigInteger u2 = r.Multiply(w).Mod(s_n);
        ECPoint point = FixedBaseTable.GeneratorForVerification.Multiply(ToUInt256(u1)).Add(key.Table.Multiply(ToUInt256(u2))).Normalize();
        parity = 0;
        if (point.IsInfinity || !point.AffineXCoord.ToBigInteger().Equals(r))
        {
            return false;
        }

        parity = point.AffineYCoord.TestBitZero() ? (byte)1 : (byte)0;
        return true;
    }

    internal static Signature Sign(BcBigInteger d, Hash32 hash, bool lowS)
    {
        Span<byte> secret = stackalloc byte[32];
        ToUInt256(d).WriteBigEndian(secret);
        var nonces = new DeterministicNonce(secret, hash);
        secret.Clear();
        BcBigInteger e = HashToInteger(hash);
        while (true)
        {
            UInt256 kValue = nonces.Next();
            ECPoint point = FixedBaseTable.Generator.Multiply(kValue).Normalize();
            BcBigInteger x = point.AffineXCoord.ToBigInteger();

            // x ≥ n would need recovery ids 2/3, which Ethereum's v cannot express; the chance is ~2^-128.
            if (x.CompareTo(s_n) >= 0 || x.SignValue == 0)
            {
                continue;
            }

            BcBigInteger r = x;
            BcBigInteger k = ToBc(kValue);
            BcBigInteger s = k.ModInverse(s_n).Multiply(e.Add(d.Multiply(r))).Mod(s_n);
            if (s.SignValue == 0)
            {
                continue;
            }

            int parity = point.AffineYCoord.TestBitZero() ? 1 : 0;
            if (lowS && s.CompareTo(s_halfN) > 0)
            {
                // Negating s corresponds to signing with -k, whose point has the opposite y parity.
                s = s_n.Subtract(s);
                parity ^= 1;
            }

            return new Signature(ToUInt256(r), ToUInt256(s), (byte)parity);
        }
    }

    internal static PublicKey DerivePublicKey(BcBigInteger d) => new(FixedBaseTable.Generator.Multiply(ToUInt256(d)));

    internal static BcBigInteger ToBc(UInt256 value)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.WriteBigEndian(bytes);
        return new BcBigInteger(1, bytes.ToArray());
    }

    internal static UInt256 ToUInt256(BcBigInteger value) => UInt256.FromBigEndian(value.ToByteArrayUnsigned());

    // The hash is as wide as n (256 bits), so no truncation is needed; e may exceed n and is used modulo n.
    private static BcBigInteger HashToInteger(Hash32 hash) => new(1, hash.ToArray());

    internal static bool IsValidScalar(BcBigInteger d) => d.SignValue > 0 && d.CompareTo(s_n) < 0;

    /// <summary>The first RFC 6979 nonce for (key, hash): exposed to check the nonce against published vectors.</summary>
    internal static UInt256 FirstNonce(PrivateKey key, Hash32 hash)
    {
        Span<byte> secret = stackalloc byte[32];
        ToUInt256(key.Scalar).WriteBigEndian(secret);
        return new DeterministicNonce(secret, hash).Next();
    }
}
