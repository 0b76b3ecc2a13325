using NBitcoin.Secp256k1;

namespace StoFunctions.Ethereum;

/// <summary>A secp256k1 public key (a point on the curve). Its <see cref="Address"/> is keccak256(x ‖ y)[12..].</summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    private readonly byte[] _xy;

    internal PublicKey(ECPubKey key)
    {
        Key = key;
        Span<byte> uncompressed = stackalloc byte[65];
        key.WriteToSpan(compressed: false, uncompressed, out _);
        _xy = uncompressed[1..].ToArray();
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(_xy, hash);
        Address = Address.FromBytes(hash[12..]);
    }

    internal ECPubKey Key { get; }

    /// <summary>The Ethereum address of this key.</summary>
    public Address Address { get; }

    /// <summary>Parses an SEC1 encoding: 65 bytes <c>04 ‖ x ‖ y</c>, 64 bytes <c>x ‖ y</c>, or 33 bytes compressed.</summary>
    /// <exception cref="SignatureException">The bytes are not a point on secp256k1.</exception>
    public static PublicKey FromBytes(ReadOnlySpan<byte> encoded)
    {
        byte[] sec1 = encoded.Length == 64 ? [0x04, .. encoded] : encoded.ToArray();
        if (sec1.Length is not (65 or 33))
        {
            throw new SignatureException($"A public key is 33 (compressed), 64 (x‖y) or 65 (04‖x‖y) bytes; got {encoded.Length}.");
        }

        return ECPubKey.TryCreate(sec1, Context.Instance, out _, out ECPubKey? key)
            ? new PublicKey(key)
            : throw new SignatureException(
                $"The {encoded.Length} bytes {Hex.Encode(encoded)} are not a secp256k1 point: the prefix must be 02/03 (33 bytes) or " +
                "04 (65 bytes), and x (and y) must lie on the curve. Check that the key is secp256k1 (not P-256) and not truncated.");
    }

    /// <summary>The 65-byte uncompressed SEC1 form <c>04 ‖ x ‖ y</c>.</summary>
    public byte[] ToUncompressed() => [0x04, .. _xy];

    /// <summary>The 64-byte <c>x ‖ y</c> form (as hashed for the address).</summary>
    public byte[] ToXY() => (byte[])_xy.Clone();

    /// <summary>The 33-byte compressed SEC1 form.</summary>
    public byte[] ToCompressed() => Key.ToBytes(compressed: true);

    /// <inheritdoc />
    public bool Equals(PublicKey? other) => other is not null && _xy.AsSpan().SequenceEqual(other._xy);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_xy);
        return hash.ToHashCode();
    }

    /// <summary>Uncompressed hex <c>0x04…</c>.</summary>
    public override string ToString() => Hex.Encode(ToUncompressed());
}
