using Azure;
using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Scanning;

/// <summary>A token's scan progress: the last committed block and the hashes of recent blocks (reorg detection).</summary>
/// <param name="Token">The token.</param>
/// <param name="StartBlock">First block ever scanned (the deployment block on a first scan).</param>
/// <param name="LastBlock">Last committed block; <c>StartBlock - 1</c> before the first range.</param>
/// <param name="RecentHashes">Block number → hash for blocks within the reorg window.</param>
/// <param name="Name">Token name read on chain (empty when the token has none).</param>
/// <param name="Symbol">Token symbol.</param>
/// <param name="Decimals">Token decimals (18 when the token has no <c>decimals()</c>).</param>
public sealed record ScanCursor(Address Token, ulong StartBlock, ulong LastBlock, IReadOnlyDictionary<ulong, Hash32> RecentHashes, string Name, string Symbol, int Decimals)
{
    /// <summary>The stored row's ETag (default before it is stored): cursor writes are conditional on it.</summary>
    public ETag ETag { get; init; }

    /// <summary>Serialises <see cref="RecentHashes"/> as <c>block:hash;…</c> (one table string property, well under 64 KiB).</summary>
    public string FormatHashes() => string.Join(';', RecentHashes.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}"));

    /// <summary>Parses <see cref="FormatHashes"/>.</summary>
    public static Dictionary<ulong, Hash32> ParseHashes(string? text)
    {
        var hashes = new Dictionary<ulong, Hash32>();
        if (string.IsNullOrEmpty(text))
        {
            return hashes;
        }

        foreach (string pair in text.Split(';'))
        {
            int colon = pair.IndexOf(':', StringComparison.Ordinal);
            hashes[ulong.Parse(pair.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture)] = Hash32.Parse(pair[(colon + 1)..]);
        }

        return hashes;
    }
}
