using Azure;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Fees;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// One signed attempt of a nonce (<c>RowKey = at-{nonce:D10}-{number:D3}</c>): the exact raw bytes, persisted
/// before they are first sent (invariant 3) and resent unchanged after any crash.
/// </summary>
public sealed class LedgerAttempt
{
    /// <summary>The nonce.</summary>
    public required ulong Nonce { get; init; }

    /// <summary>1 for the first attempt, +1 per fee bump or re-sign.</summary>
    public required int Number { get; init; }

    /// <summary>The signed transaction (EIP-2718 envelope).</summary>
    public required byte[] Raw { get; init; }

    /// <summary>keccak256 of <see cref="Raw"/>.</summary>
    public required Hash32 Hash { get; init; }

    /// <summary>Both fee fields of this attempt.</summary>
    public required FeePair Fees { get; init; }

    /// <summary>When it was signed.</summary>
    public required DateTimeOffset SignedTime { get; init; }

    /// <summary>When a node first accepted it; null while never accepted.</summary>
    public DateTimeOffset? FirstSent { get; set; }

    /// <summary>When it was last (re)sent.</summary>
    public DateTimeOffset? LastSent { get; set; }

    /// <summary>The row's ETag.</summary>
    public ETag ETag { get; set; }

    /// <summary>The row key.</summary>
    public string RowKey => LedgerRows.AttemptRow(Nonce, Number);
}
