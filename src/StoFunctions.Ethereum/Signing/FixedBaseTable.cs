using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace StoFunctions.Ethereum;

/// <summary>
/// k·P for a fixed point P with a table: 64 windows of 4 bits, each with 16 precomputed affine points, so a
/// multiply is 64 mixed additions and no doublings (about twice as fast as BouncyCastle's comb for this curve).
/// Entry j of window i is (j·16^i + 1)·P, so no entry is the point at infinity and every window adds exactly one
/// point regardless of the scalar's digits; the 64 extra P are subtracted at the end. Lookups go through
/// BouncyCastle's cache-safe tables, which read every entry, so a secret scalar does not steer memory accesses.
/// One table serves G (signing nonces, key derivation); a signer's public key gets its own (64 KiB, built in
/// about a millisecond) so checking each of its signatures costs two table multiplies instead of a recovery.
/// </summary>
internal sealed class FixedBaseTable
{
    private const int Windows = 64;
    private static readonly Lazy<FixedBaseTable> s_generator = new(() => new FixedBaseTable(Secp256k1.G));
    private readonly ECLookupTable[] _tables;
    private readonly ECPoint _correction;

    public FixedBaseTable(ECPoint basePoint)
    {
        (_tables, _correction) = Build(basePoint.Normalize());
    }

    /// <summary>The table of the generator G.</summary>
    public static FixedBaseTable Generator => s_generator.Value;

    public ECPoint Multiply(UInt256 scalar)
    {
        Span<byte> bytes = stackalloc byte[32];
        scalar.WriteBigEndian(bytes);
        ECPoint acc = _correction;
        for (int i = 0; i < Windows; i++)
        {
            byte b = bytes[31 - (i >> 1)];
            int digit = (i & 1) == 0 ? b & 0xF : b >> 4;
            acc = acc.Add(_tables[i].Lookup(digit));
        }

        return acc;
    }

    private static (ECLookupTable[] Tables, ECPoint Correction) Build(ECPoint g)
    {
        ECCurve curve = Secp256k1.Curve;
        var points = new ECPoint[Windows * 16];
        ECPoint windowBase = g;
        for (int i = 0; i < Windows; i++)
        {
            ECPoint p = g;
            for (int j = 0; j < 16; j++)
            {
                points[i * 16 + j] = p;
                p = p.Add(windowBase);
            }

            windowBase = windowBase.TimesPow2(4);
        }

        curve.NormalizeAll(points);
        var tables = new ECLookupTable[Windows];
        for (int i = 0; i < Windows; i++)
        {
            tables[i] = curve.CreateCacheSafeLookupTable(points, i * 16, 16);
        }

        ECPoint correction = g.Multiply(BcBigInteger.ValueOf(Windows)).Negate().Normalize();
        return (tables, correction);
    }
}
