using NBitcoin.Secp256k1;
using StoFunctions.Ethereum;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// The Ethereum signature operations written directly on NBitcoin.Secp256k1 (a port of libsecp256k1), without the
/// Ethereum layer's checks and types: the floor <see cref="Secp256k1Suite"/> measures the layer against.
/// </summary>
internal static class NBitcoinSecp256k1
{
    public static ECPrivKey PrivateKey(PrivateKey key)
    {
        byte[] secret = key.ExportSecret();
        try
        {
            return ECPrivKey.Create(secret);
        }
        finally
        {
            Array.Clear(secret);
        }
    }

    public static ECPubKey PublicKey(PublicKey key) => ECPubKey.Create(key.ToUncompressed());

    public static Signature Sign(ECPrivKey key, Hash32 hash)
    {
        Span<byte> message = stackalloc byte[32];
        hash.CopyTo(message);
        if (!key.TrySignRecoverable(message, out SecpRecoverableECDSASignature? signature))
        {
            throw new InvalidOperationException("NBitcoin.Secp256k1 refused to sign.");
        }

        signature!.Deconstruct(out Scalar r, out Scalar s, out int recoveryId);
        return new Signature(ToUInt256(r), ToUInt256(s), (byte)recoveryId);
    }

    public static Signature FromExternalSignature(ReadOnlySpan<byte> rs, Hash32 hash, ECPubKey expected)
    {
        var r = new Scalar(rs[..32], out int rOverflow);
        var s = new Scalar(rs[32..], out int sOverflow);
        if (rOverflow != 0 || sOverflow != 0 || r.IsZero || s.IsZero)
        {
            throw new InvalidOperationException("r or s out of range");
        }

        if (s.IsHigh)
        {
            s = s.Negate();
        }

        return TryRecoveryParity(hash, r, s, expected, out byte parity)
            ? new Signature(ToUInt256(r), ToUInt256(s), parity)
            : throw new InvalidOperationException("does not verify");
    }

    public static bool Verify(Hash32 hash, Signature signature, ECPubKey key)
    {
        Scalar r = ToScalar(signature.R, out bool rOk);
        Scalar s = ToScalar(signature.S, out bool sOk);
        return rOk && sOk && TryRecoveryParity(hash, r, s, key, out byte parity) && parity == signature.YParity;
    }

    public static ECPubKey? Recover(Hash32 hash, Signature signature)
    {
        Span<byte> compact = stackalloc byte[64];
        signature.R.WriteBigEndian(compact);
        signature.S.WriteBigEndian(compact[32..]);
        Span<byte> message = stackalloc byte[32];
        hash.CopyTo(message);
        return SecpRecoverableECDSASignature.TryCreateFromCompact(compact, signature.YParity, out SecpRecoverableECDSASignature? recoverable)
            && ECPubKey.TryRecover(Context.Instance, recoverable, message, out ECPubKey? key) ? key : null;
    }

    // R = (e/s)·G + (r/s)·Q: its x is r and its y parity is the recovery bit.
    private static bool TryRecoveryParity(Hash32 hash, Scalar r, Scalar s, ECPubKey key, out byte parity)
    {
        Span<byte> bytes = stackalloc byte[32];
        hash.CopyTo(bytes);
        var e = new Scalar(bytes, out _);
        Scalar w = s.InverseVariable();
        Scalar u1 = e.Multiply(w);
        Scalar u2 = r.Multiply(w);
        GEJ q = key.Q.ToGroupElementJacobian();
        Scalar? generatorScalar = u1;
        GEJ point = ECMultContext.Instance.Mult(q, u2, generatorScalar);
        parity = 0;
        if (point.IsInfinity)
        {
            return false;
        }

        GE affine = point.ToGroupElementVariable();
        affine.x.NormalizeVariable().WriteToSpan(bytes);
        Span<byte> rBytes = stackalloc byte[32];
        r.WriteToSpan(rBytes);
        if (!bytes.SequenceEqual(rBytes))
        {
            return false;
        }

        parity = affine.y.NormalizeVariable().IsOdd ? (byte)1 : (byte)0;
        return true;
    }

    private static Scalar ToScalar(UInt256 value, out bool inRange)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.WriteBigEndian(bytes);
        var scalar = new Scalar(bytes, out int overflow);
        inRange = overflow == 0 && !scalar.IsZero;
        return scalar;
    }

    private static UInt256 ToUInt256(in Scalar value)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.WriteToSpan(bytes);
        return UInt256.FromBigEndian(bytes);
    }
}
