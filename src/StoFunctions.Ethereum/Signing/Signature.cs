namespace StoFunctions.Ethereum;

/// <summary>
/// An ECDSA secp256k1 signature in Ethereum form: <see cref="R"/>, <see cref="S"/> and the recovery bit
/// <see cref="YParity"/> (the parity of the y coordinate of the nonce point k·G).
/// </summary>
public readonly struct Signature : IEquatable<Signature>
{
    /// <summary>Creates a signature; the values are range-checked by <see cref="Secp256k1"/> when used.</summary>
    public Signature(UInt256 r, UInt256 s, byte yParity)
    {
        if (yParity > 1)
        {
            throw new SignatureException($"yParity must be 0 or 1 but was {yParity}.");
        }

        R = r;
        S = s;
        YParity = yParity;
    }

    /// <summary>The x coordinate of k·G, modulo n.</summary>
    public UInt256 R { get; }

    /// <summary>The proof value; Ethereum requires S ≤ n/2 since Homestead (EIP-2).</summary>
    public UInt256 S { get; }

    /// <summary>0 or 1: the parity of the y coordinate of k·G (the recovery id).</summary>
    public byte YParity { get; }

    /// <summary>Whether S is in the lower half of the curve order (EIP-2).</summary>
    public bool IsLowS => S <= Secp256k1.HalfOrder;

    /// <summary>The legacy <c>v</c>: 27 + yParity before EIP-155, or chainId·2 + 35 + yParity with EIP-155.</summary>
    public UInt256 LegacyV(ulong? chainId) =>
        chainId is { } id ? (UInt256)id * 2 + (ulong)(35 + YParity) : (UInt256)(ulong)(27 + YParity);

    /// <summary>The 65-byte <c>r || s || v</c> form used by <c>eth_sign</c> and <c>personal_sign</c> (v = 27 + yParity).</summary>
    public byte[] ToRsv()
    {
        var bytes = new byte[65];
        R.WriteBigEndian(bytes);
        S.WriteBigEndian(bytes.AsSpan(32));
        bytes[64] = (byte)(27 + YParity);
        return bytes;
    }

    /// <summary>The 64-byte ERC-2098 compact form: <c>r || (yParity &lt;&lt; 255 | s)</c>.</summary>
    public byte[] ToCompact()
    {
        var bytes = new byte[64];
        R.WriteBigEndian(bytes);
        S.WriteBigEndian(bytes.AsSpan(32));
        bytes[32] |= (byte)(YParity << 7);
        return bytes;
    }

    /// <inheritdoc />
    public bool Equals(Signature other) => R == other.R && S == other.S && YParity == other.YParity;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(R, S, YParity);

    /// <summary>Equality of r, s and yParity.</summary>
    public static bool operator ==(Signature left, Signature right) => left.Equals(right);

    /// <summary>Inequality of r, s or yParity.</summary>
    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);

    /// <summary>Debug form: <c>r=0x…, s=0x…, yParity=0</c>.</summary>
    public override string ToString() => $"r={R.ToHexQuantity()}, s={S.ToHexQuantity()}, yParity={YParity}";
}
