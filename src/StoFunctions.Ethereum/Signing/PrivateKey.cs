using System.Security.Cryptography;
using NBitcoin.Secp256k1;

namespace StoFunctions.Ethereum;

/// <summary>
/// A secp256k1 private key held in memory (test and development accounts; production keys stay in Key Vault).
/// <see cref="ToString"/> never shows the secret, only the address.
/// </summary>
public sealed class PrivateKey
{
    private readonly byte[] _secret;
    private PublicKey? _publicKey;

    private PrivateKey(byte[] secret, ECPrivKey key)
    {
        _secret = secret;
        Key = key;
    }

    internal ECPrivKey Key { get; }

    /// <summary>The public key (computed once).</summary>
    public PublicKey PublicKey => _publicKey ??= new PublicKey(Key.CreatePubKey());

    /// <summary>The address of the key.</summary>
    public Address Address => PublicKey.Address;

    /// <summary>Creates a key from its 32-byte big-endian secret.</summary>
    /// <exception cref="SignatureException">Not 32 bytes, or not in 1 … n-1.</exception>
    public static PrivateKey FromBytes(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != 32)
        {
            throw new SignatureException($"A private key is exactly 32 bytes; got {secret.Length}.");
        }

        if (!ECPrivKey.TryCreate(secret, out ECPrivKey? key))
        {
            throw new SignatureException("The private key is 0 or not below the curve order n; it is not a valid secp256k1 key.");
        }

        return new PrivateKey(secret.ToArray(), key);
    }

    /// <summary>Parses 64 hex digits (with or without <c>0x</c>).</summary>
    /// <exception cref="SignatureException">The text is not a 32-byte hex key in range; the message never echoes the text.</exception>
    public static PrivateKey Parse(string hex)
    {
        if (!Hex.TryDecode(hex, out byte[]? bytes))
        {
            throw new SignatureException("The private key is not valid hex (the value is not shown because it is secret).");
        }

        try
        {
            return FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Creates a random key from the OS CSPRNG.</summary>
    public static PrivateKey Generate()
    {
        Span<byte> secret = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(secret);
            if (ECPrivKey.TryCreate(secret, out ECPrivKey? key))
            {
                byte[] copy = secret.ToArray();
                CryptographicOperations.ZeroMemory(secret);
                return new PrivateKey(copy, key);
            }
        }
    }

    /// <summary>Signs a 32-byte hash (RFC 6979, low-S).</summary>
    public Signature Sign(Hash32 hash) => Secp256k1.Sign(this, hash);

    /// <summary>Copies the secret out (for export to a key store); the caller must protect and zero it.</summary>
    public byte[] ExportSecret() => (byte[])_secret.Clone();

    /// <summary>Shows only the address, never the secret.</summary>
    public override string ToString() => $"PrivateKey({Address})";
}
