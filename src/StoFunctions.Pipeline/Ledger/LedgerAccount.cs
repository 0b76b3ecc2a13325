using Azure;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>
/// The account row of a lane (<c>RowKey = account</c>): the next nonce to allocate, guarded by its ETag so
/// concurrent producers on any instance never allocate the same nonce.
/// </summary>
public sealed class LedgerAccount
{
    /// <summary>The next nonce to allocate.</summary>
    public ulong NextNonce { get; set; }

    /// <summary>The first nonce this ledger ever allocated (the start of invariant 1's range).</summary>
    public ulong FirstNonce { get; set; }

    /// <summary>Every nonce below this is terminal; the lane reads its open rows from here.</summary>
    public ulong OpenFrom { get; set; }

    /// <summary>How often an operator re-synced the lane with the chain (restart-nonce).</summary>
    public int Restarts { get; set; }

    /// <summary>The row's ETag (default for a row not yet stored).</summary>
    public ETag ETag { get; set; }
}
