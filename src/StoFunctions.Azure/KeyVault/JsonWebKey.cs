namespace StoFunctions.Azure.KeyVault;

/// <summary>The public part of a Key Vault key as a JSON Web Key (RFC 7517); for EC keys x and y are decoded from base64url.</summary>
/// <param name="Id">The key id (<c>kid</c>), including its version.</param>
/// <param name="KeyType"><c>EC</c> or <c>EC-HSM</c> for the keys this client uses.</param>
/// <param name="CurveName">The curve (<c>P-256K</c> for secp256k1).</param>
/// <param name="X">The affine x coordinate, big-endian.</param>
/// <param name="Y">The affine y coordinate, big-endian.</param>
/// <param name="KeyOps">Operations the key permits (<c>sign</c>, <c>verify</c>, …).</param>
public sealed record JsonWebKey(string Id, string KeyType, string? CurveName, byte[]? X, byte[]? Y, IReadOnlyList<string> KeyOps);
