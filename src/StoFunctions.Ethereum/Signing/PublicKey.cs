using Org.BouncyCastle.Math.EC;

namespace StoFunctions.Ethereum;

/// <summary>A secp256k1 public key (a point on the curve). Its <see cref="Address"/> is keccak256(x ‖ y)[12..].</summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    private readonly byte[] _xy;
    private FixedBaseTable? _table;

    internal PublicKey(ECPoint point)
    {
        Point = point.Normalize();
        _xy = [.. Point.AffineXCoord.GetEncoded(), .. Point.AffineYCoord.GetEncoded()];
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(_xy, hash);
        Address = Address.FromBytes(hash[12..]);
    }

    internal ECPoint Point { get; }

    // Built on first use only: most keys are recovered once and never multiplied; a signer's key is checked
    // against every signature it makes.
    internal FixedBaseTable Table => LazyInitializer.EnsureInitialized(ref _table, () => FixedBaseTable.ForVerification(Point));

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

        try
        {
            ECPoint point = Secp256k1.Curve.DecodePoint(sec1);
            return new PublicKey(point);
        }
        catch (ArgumentException ex)
        {
            throw new SignatureException($"The {encoded.Length} bytes are not a valid secp256k1 point: {ex.Message}", ex);
        }
    }

    /// <summary>The 65-byte uncompressed SEC1 form <c>04 ‖ x ‖ y</c>.</summary>
    public byte[] ToUncompressed() => [0x04, .. _xy];

    /// <summary>The 64-byte <c>x ‖ y</c> form (as hashed for the address).</summary>
    public byte[] ToXY() => (byte[])_xy.Clone();

    /// <summary>The 33-byte compressed SEC1 form.</summary>
    public byte[] ToCompressed() => Point.GetEncoded(true);

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
