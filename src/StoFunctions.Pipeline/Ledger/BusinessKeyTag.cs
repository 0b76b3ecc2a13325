using System.Security.Cryptography;
using System.Text;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// The 32 bytes appended to the call data of every transaction the service sends, so the chain itself says which
/// business key a transaction carries (invariant 0: after a lost or restored ledger the rows are rebuilt from the
/// chain). Layout: <c>53 54 4f</c> ("STO") + a kind byte (<c>01</c> business key, <c>00</c> no-op filler) + 28
/// bytes: the first 28 bytes of SHA-256 over the key's UTF-8 (all zero for a filler). ABI decoding ignores
/// trailing bytes (calls and Solidity constructors alike), so contracts see the same arguments. The idempotency
/// row key derives from the same 28 bytes, so a row can be rebuilt from a tag although the hash cannot be inverted.
/// </summary>
public static class BusinessKeyTag
{
    /// <summary>Bytes of a tag.</summary>
    public const int Length = 32;

    /// <summary>Bytes of the key hash inside a tag.</summary>
    public const int HashLength = 28;

    /// <summary>
    /// Gas the tag may add to a transaction: 32 non-zero calldata bytes cost 32 × 16 = 512 gas, and EIP-7623's
    /// calldata floor (Prague) 32 × 4 tokens × 10 = 1,280. Added to every tagged row's gas limit, so a limit
    /// estimated or fixed for the untagged call still covers the tagged one.
    /// </summary>
    public const ulong Gas = 1_280;

    /// <summary>Gas limit of a tagged no-op filler (0-value self transfer): 21,000 + <see cref="Gas"/>.</summary>
    public const ulong FillerGasLimit = 21_000 + Gas;

    private const byte KindFiller = 0x00;
    private const byte KindBusinessKey = 0x01;

    private static ReadOnlySpan<byte> Magic => "STO"u8;

    /// <summary>The tag of <paramref name="businessKey"/>.</summary>
    public static byte[] For(string businessKey)
    {
        var tag = new byte[Length];
        Magic.CopyTo(tag);
        tag[3] = KindBusinessKey;
        KeyHash(businessKey).CopyTo(tag.AsSpan(4));
        return tag;
    }

    /// <summary>The call data of a no-op filler: the filler tag alone.</summary>
    public static byte[] Filler()
    {
        var tag = new byte[Length];
        Magic.CopyTo(tag);
        tag[3] = KindFiller;
        return tag;
    }

    /// <summary>The 28 bytes of SHA-256 over the key's UTF-8 that a tag and the idempotency row key carry.</summary>
    public static byte[] KeyHash(string businessKey) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(businessKey)).AsSpan(0, HashLength).ToArray();

    /// <summary><paramref name="data"/> followed by the tag of <paramref name="businessKey"/>.</summary>
    public static byte[] Append(ReadOnlySpan<byte> data, string businessKey) => [.. data, .. For(businessKey)];

    /// <summary>True when <paramref name="data"/> ends with a business-key tag; <paramref name="keyHash"/> is its 28-byte hash.</summary>
    public static bool TryReadKeyHash(ReadOnlySpan<byte> data, out byte[] keyHash)
    {
        keyHash = [];
        if (!EndsWithTag(data, KindBusinessKey))
        {
            return false;
        }

        keyHash = data[^HashLength..].ToArray();
        return true;
    }

    /// <summary>True when <paramref name="data"/> ends with the filler tag.</summary>
    public static bool IsFiller(ReadOnlySpan<byte> data) =>
        EndsWithTag(data, KindFiller) && !data[^HashLength..].ContainsAnyExcept((byte)0);

    /// <summary><paramref name="data"/> without a trailing tag (unchanged when it carries none).</summary>
    public static ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> data) =>
        EndsWithTag(data, KindBusinessKey) || IsFiller(data) ? data[..^Length] : data;

    private static bool EndsWithTag(ReadOnlySpan<byte> data, byte kind) =>
        data.Length >= Length && data[^Length..].StartsWith(Magic) && data[^(Length - 3)] == kind;
}
