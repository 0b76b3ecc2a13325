using System.Security.Cryptography;

namespace StoFunctions.Ethereum;

/// <summary>
/// RFC 6979 §3.2 nonce generation with HMAC-SHA256 for secp256k1 (qlen = hlen = 256, so bits2int needs no shift).
/// Uses the platform HMAC (OpenSSL/CNG), which is several times faster than a managed digest.
/// </summary>
internal struct DeterministicNonce
{
    private readonly byte[] _k = new byte[32];
    private readonly byte[] _v = new byte[32];
    private bool _started;

    public DeterministicNonce(ReadOnlySpan<byte> privateKey32, Hash32 hash)
    {
        // bits2octets(h1): the hash as an integer reduced once modulo n.
        UInt256 z = UInt256.FromBigEndian(hash.ToArray());
        if (z >= Secp256k1.Order)
        {
            z -= Secp256k1.Order;
        }

        Span<byte> seed = stackalloc byte[32 + 1 + 32 + 32];
        _v.AsSpan().Fill(0x01);
        _k.AsSpan().Clear();
        privateKey32.CopyTo(seed[33..]);
        z.WriteBigEndian(seed[65..]);
        for (byte round = 0; round <= 1; round++)
        {
            _v.CopyTo(seed);
            seed[32] = round;
            HMACSHA256.HashData(_k, seed, _k);
            HMACSHA256.HashData(_k, _v, _v);
        }

        CryptographicOperations.ZeroMemory(seed);
        _started = false;
    }

    /// <summary>The next candidate nonce in 1 … n-1 (the first is the RFC 6979 k; later ones are only needed on retry).</summary>
    public UInt256 Next()
    {
        Span<byte> retry = stackalloc byte[33];
        while (true)
        {
            if (_started)
            {
                _v.CopyTo(retry);
                retry[32] = 0x00;
                HMACSHA256.HashData(_k, retry, _k);
                HMACSHA256.HashData(_k, _v, _v);
            }

            _started = true;
            HMACSHA256.HashData(_k, _v, _v);
            UInt256 k = UInt256.FromBigEndian(_v);
            if (!k.IsZero && k < Secp256k1.Order)
            {
                return k;
            }
        }
    }
}
