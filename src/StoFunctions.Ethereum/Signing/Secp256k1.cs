using NBitcoin.Secp256k1;

namespace StoFunctions.Ethereum;

/// <summary>
/// ECDSA over secp256k1 as Ethereum uses it: RFC 6979 deterministic nonces, low-S signatures
/// (<see href="https://eips.ethereum.org/EIPS/eip-2">EIP-2</see>), the recovery id, and public-key recovery.
/// The curve arithmetic is NBitcoin.Secp256k1's (a port of bitcoin-core's libsecp256k1: constant-time signing,
/// reviewed field and scalar code); this class only maps it to Ethereum's rules and types.
/// </summary>
public static class Secp256k1
{
    /// <summary>The group order n.</summary>
    public static UInt256 Order { get; } = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

    /// <summary>⌊n / 2⌋: the largest S allowed by EIP-2.</summary>
    public static UInt256 HalfOrder { get; } = UInt256.Parse("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    /// <summary>Signs a 32-byte hash with RFC 6979 and returns the low-S signature with its recovery bit.</summary>
    public static Signature Sign(PrivateKey key, Hash32 hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Sign(key, hash, lowS: true);
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
        if (signature.R.IsZero || signature.R >= Order)
        {
            error = $"Signature r = {signature.R.ToHexQuantity()} is outside 1 … n-1.";
            return false;
        }

        if (signature.S.IsZero || signature.S >= Order)
        {
            error = $"Signature s = {signature.S.ToHexQuantity()} is outside 1 … n-1.";
            return false;
        }

        // libsecp256k1 recovers high-S signatures too (the legacy vectors need it); only the parsers enforce EIP-2.
        Span<byte> compact = stackalloc byte[64];
        signature.R.WriteBigEndian(compact);
        signature.S.WriteBigEndian(compact[32..]);
        Span<byte> message = stackalloc byte[32];
        hash.CopyTo(message);
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(compact, signature.YParity, out SecpRecoverableECDSASignature? recoverable) ||
            !ECPubKey.TryRecover(Context.Instance, recoverable, message, out ECPubKey? recovered))
        {
            error = $"Signature r = {signature.R.ToHexQuantity()} with yParity {signature.YParity} recovers no public key for hash {hash} " +
                    "(r is not the x coordinate of a secp256k1 point, or the result is the point at infinity); the signature is invalid.";
            return false;
        }

        publicKey = new PublicKey(recovered);
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

        if (TryRecoveryParity(hash, r, s, expected, out byte parity))
        {
            return new Signature(r, s, parity);
        }

        throw new SignatureException(
            $"The external signature does not verify for hash {hash} under the expected key of {expected.Address}; " +
            "check that the key version signed this exact digest and that r ‖ s are in big-endian order.");
    }

    /// <summary>
    /// True when <paramref name="signature"/>, recovery bit included, recovers <paramref name="key"/> for
    /// <paramref name="hash"/> — the same answer as comparing <see cref="RecoverPublicKey"/> with the key, for less
    /// work: ECDSA verification R' = (e/s)·G + (r/s)·Q, then R'.x = r and R'.y's parity = v. High-S signatures
    /// verify here as they recover (libsecp256k1's own verify refuses them, which would change this answer).
    /// </summary>
    public static bool Verify(Hash32 hash, Signature signature, PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (signature.R.IsZero || signature.R >= Order || signature.S.IsZero || signature.S >= Order)
        {
            return false;
        }

        return TryRecoveryParity(hash, signature.R, signature.S, key, out byte parity) && parity == signature.YParity;
    }

    // sR = eG + rQ for a valid signature, so R = (e/s)G + (r/s)Q: the point whose x is r and whose y parity is the
    // recovery bit. x ≥ n (recovery ids 2 and 3) is reported as no match: Ethereum's v cannot express it.
    // r and s are public, so the variable-time inverse and the library's multi-multiplication are fine here.
    private static bool TryRecoveryParity(Hash32 hash, UInt256 r, UInt256 s, PublicKey key, out byte parity)
    {
        Span<byte> bytes = stackalloc byte[32];
        hash.CopyTo(bytes);
        var e = new Scalar(bytes, out _); // reduced modulo n, as ECDSA uses it
        Scalar rScalar = ToScalar(r);
        Scalar w = ToScalar(s).InverseVariable();
        Scalar u1 = e.Multiply(w);
        Scalar u2 = rScalar.Multiply(w);
        GEJ q = key.Key.Q.ToGroupElementJacobian();
        Scalar? generatorMultiple = u1;
        GEJ point = ECMultContext.Instance.Mult(q, u2, generatorMultiple);
        parity = 0;
        if (point.IsInfinity)
        {
            return false;
        }

        GE affine = point.ToGroupElementVariable();
        affine.x.NormalizeVariable().WriteToSpan(bytes);
        if (UInt256.FromBigEndian(bytes) != r)
        {
            return false;
        }

        parity = affine.y.NormalizeVariable().IsOdd ? (byte)1 : (byte)0;
        return true;
    }

    /// <summary>
    /// Signs with RFC 6979. <paramref name="lowS"/> false gives the signature before EIP-2 normalisation (what
    /// pre-Homestead signers published); only the legacy vectors need it.
    /// </summary>
    internal static Signature Sign(PrivateKey key, Hash32 hash, bool lowS)
    {
        Span<byte> message = stackalloc byte[32];
        hash.CopyTo(message);
        if (!key.Key.TrySignRecoverable(message, ReducedRfc6979.Instance, out SecpRecoverableECDSASignature? signature))
        {
            throw new SignatureException($"secp256k1 could not sign hash {hash} (no valid nonce); this does not happen with a valid key.");
        }

        signature!.Deconstruct(out Scalar r, out Scalar s, out int recoveryId);

        // Ids 2 and 3 (x of k·G ≥ n) cannot be written as Ethereum's v; the chance is about 2^-128 per signature.
        if (recoveryId > 1)
        {
            throw new SignatureException($"The signature of hash {hash} has recovery id {recoveryId}, which Ethereum's v cannot express; sign a different payload.");
        }

        var low = new Signature(ToUInt256(r), ToUInt256(s), (byte)recoveryId);
        if (lowS)
        {
            return low;
        }

        // libsecp256k1 always normalises, negating s and flipping the bit when the raw s was high; the raw bit is
        // the parity of k·G, so a bit that differs from it marks a normalised signature.
        using ECPrivKey nonce = ECPrivKey.Create(ToBytes(FirstNonce(key, hash)));
        byte rawParity = nonce.CreatePubKey().Q.y.NormalizeVariable().IsOdd ? (byte)1 : (byte)0;
        return rawParity == low.YParity ? low : new Signature(low.R, Order - low.S, rawParity);
    }

    /// <summary>The first RFC 6979 nonce for (key, hash): exposed to check the nonce against published vectors.</summary>
    internal static UInt256 FirstNonce(PrivateKey key, Hash32 hash)
    {
        Span<byte> secret = stackalloc byte[32];
        Span<byte> message = stackalloc byte[32];
        Span<byte> nonce = stackalloc byte[32];
        key.Key.WriteToSpan(secret);
        hash.CopyTo(message);
        try
        {
            return ReducedRfc6979.Instance.TryGetNonce(nonce, message, secret, [], 0)
                ? UInt256.FromBigEndian(nonce)
                : throw new SignatureException("RFC 6979 produced no nonce.");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(nonce);
        }
    }

    private static Scalar ToScalar(UInt256 value) => new(ToBytes(value));

    private static byte[] ToBytes(UInt256 value) => value.ToBigEndian();

    private static UInt256 ToUInt256(in Scalar value)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.WriteToSpan(bytes);
        return UInt256.FromBigEndian(bytes);
    }
}
