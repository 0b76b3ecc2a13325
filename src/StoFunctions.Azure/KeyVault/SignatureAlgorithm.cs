namespace StoFunctions.Azure.KeyVault;

/// <summary>A Key Vault JSON Web Signature algorithm name (as <c>Azure.Security.KeyVault.Keys.Cryptography.SignatureAlgorithm</c>).</summary>
public readonly struct SignatureAlgorithm : IEquatable<SignatureAlgorithm>
{
    private readonly string? _value;

    /// <summary>Wraps an algorithm name as the service spells it.</summary>
    public SignatureAlgorithm(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>ECDSA over a 32-byte digest with a P-256K (secp256k1) key. Key Vault signs the digest as given.</summary>
    public static SignatureAlgorithm ES256K { get; } = new("ES256K");

    /// <summary>The digest length in bytes this algorithm signs, or null when this client does not know it.</summary>
    internal int? DigestLength => _value == "ES256K" ? 32 : null;

    /// <summary>Equality by name.</summary>
    public static bool operator ==(SignatureAlgorithm left, SignatureAlgorithm right) => left.Equals(right);

    /// <summary>Inequality by name.</summary>
    public static bool operator !=(SignatureAlgorithm left, SignatureAlgorithm right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(SignatureAlgorithm other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SignatureAlgorithm other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc />
    public override string ToString() => _value ?? string.Empty;
}
