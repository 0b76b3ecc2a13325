using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace StoFunctions.Ethereum;

/// <summary>
/// k·P for a fixed point P with a table of windows, each holding every multiple a window's digit can select, so a
/// multiply is one mixed addition per window and no doublings. Entry j of window i is (j·2^(w·i) + 1)·P, so no
/// entry is the point at infinity and every window adds exactly one point whatever the digit; the extra P (one per
/// window) are subtracted at the end.
/// <para>
/// Two shapes. <see cref="Generator"/> (secret scalars: signing nonces, key derivation) has 64 windows of 4 bits
/// read through BouncyCastle's cache-safe tables, which touch every entry, so a secret does not steer memory
/// accesses; it is about twice as fast as BouncyCastle's comb for this curve. <see cref="ForVerification"/>
/// (public scalars: ECDSA verification against a known key) has 32 windows of 8 bits read by plain indexing:
/// half the additions, 256 entries a window (about 0.5 MiB and ten milliseconds to build, once per key).
/// </para>
/// </summary>
internal sealed class FixedBaseTable
{
    private static readonly Lazy<FixedBaseTable> s_generator = new(() => new FixedBaseTable(Secp256k1.G, windowBits: 4, constantTime: true));
    private static readonly Lazy<FixedBaseTable> s_generatorForVerification = new(() => ForVerification(Secp256k1.G));
    private readonly int _windowBits;
    private readonly ECLookupTable[]? _cacheSafe;
    private readonly ECPoint[]? _points;
    private readonly ECPoint _correction;

    private FixedBaseTable(ECPoint basePoint, int windowBits, bool constantTime)
    {
        _windowBits = windowBits;
        int windows = 256 / windowBits;
        int entries = 1 << windowBits;
        ECCurve curve = Secp256k1.Curve;
        ECPoint g = basePoint.Normalize();
        var points = new ECPoint[windows * entries];
        ECPoint windowBase = g;
        for (int i = 0; i < windows; i++)
        {
            ECPoint p = g;
            for (int j = 0; j < entries; j++)
            {
                points[i * entries + j] = p;
                p = p.Add(windowBase);
            }

            windowBase = windowBase.TimesPow2(windowBits);
        }

        curve.NormalizeAll(points);
        if (constantTime)
        {
            _cacheSafe = new ECLookupTable[windows];
            for (int i = 0; i < windows; i++)
            {
                _cacheSafe[i] = curve.CreateCacheSafeLookupTable(points, i * entries, entries);
            }
        }
        else
        {
            _points = points;
        }

        _correction = g.Multiply(BcBigInteger.ValueOf(windows)).Negate().Normalize();
    }

    /// <summary>The constant-time table of the generator G, for secret scalars.</summary>
    public static FixedBaseTable Generator => s_generator.Value;

    /// <summary>The fast table of G for public scalars (verification).</summary>
    public static FixedBaseTable GeneratorForVerification => s_generatorForVerification.Value;

    /// <summary>A fast table of <paramref name="basePoint"/> for public scalars only: lookups index memory by the digit.</summary>
    public static FixedBaseTable ForVerification(ECPoint basePoint) => new(basePoint, windowBits: 8, constantTime: false);

    /// <summary>scalar·P, not normalised.</summary>
    public ECPoint Multiply(UInt256 scalar)
    {
        Span<byte> bytes = stackalloc byte[32];
        scalar.WriteBigEndian(bytes);
        ECPoint acc = _correction;
        if (_cacheSafe is not null)
        {
            for (int i = 0; i < _cacheSafe.Length; i++)
            {
                byte b = bytes[31 - (i >> 1)];
                int digit = (i & 1) == 0 ? b & 0xF : b >> 4;
                acc = acc.Add(_cacheSafe[i].Lookup(digit));
            }

            return acc;
        }

        ECPoint[] points = _points!;
        for (int i = 0; i < 32; i++)
        {
            acc = acc.Add(points[(i << _windowBits) + bytes[31 - i]]);
        }

        return acc;
    }
}
