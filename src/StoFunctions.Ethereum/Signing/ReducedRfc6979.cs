using NBitcoin.Secp256k1;

namespace StoFunctions.Ethereum;

/// <summary>
/// RFC 6979 as the RFC writes it: the hash enters HMAC-DRBG as bits2octets(h), i.e. reduced modulo n.
/// NBitcoin.Secp256k1's <see cref="RFC6979NonceFunction"/> (like older libsecp256k1) feeds the unreduced hash,
/// which gives a different nonce, hence a different signature than ethers, BouncyCastle or Nethereum, for the
/// hashes ≥ n (about 2^-128 of them); reducing first makes every hash sign alike in all of them.
/// </summary>
internal sealed class ReducedRfc6979 : INonceFunction
{
    public static ReducedRfc6979 Instance { get; } = new();

    private ReducedRfc6979()
    {
    }

    public bool TryGetNonce(Span<byte> nonce32, ReadOnlySpan<byte> msg32, ReadOnlySpan<byte> key32, ReadOnlySpan<byte> algo16, uint counter)
    {
        Span<byte> reduced = stackalloc byte[32];
        new Scalar(msg32, out _).WriteToSpan(reduced);
        return RFC6979NonceFunction.Instance.TryGetNonce(nonce32, reduced, key32, algo16, counter);
    }
}
