namespace StoFunctions.Azure.KeyVault;

/// <summary>The result of <see cref="CryptographyClient.SignAsync"/>.</summary>
/// <param name="KeyId">The versioned key id that signed (<c>kid</c>).</param>
/// <param name="Signature">The raw signature; for ES256K exactly 64 bytes <c>r || s</c>, big-endian, not DER.</param>
/// <param name="Algorithm">The algorithm used.</param>
public sealed record SignResult(string KeyId, byte[] Signature, SignatureAlgorithm Algorithm);
