namespace StoFunctions.Pipeline.Scanning;

/// <summary>Classes of <see cref="ScanException"/>.</summary>
public enum ScanErrorKind
{
    /// <summary>The chain or storage failed; retry later.</summary>
    Failed,

    /// <summary>The request is invalid (range, block, token).</summary>
    Invalid,

    /// <summary>The token has not been scanned (far enough) yet.</summary>
    NotScanned,

    /// <summary>Another scanner wrote the same token's rows at the same time; this one stopped. Scan again.</summary>
    Concurrent,
}
