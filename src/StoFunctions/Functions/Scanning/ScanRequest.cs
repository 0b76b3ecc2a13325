namespace StoFunctions.Functions.Scanning;

/// <summary>Body of <c>POST /api/tokens/{token}/scans</c> and <c>PUT /api/tokens/{token}/watch</c> (both fields optional).</summary>
public sealed class ScanRequest
{
    /// <summary>First block; at or below the cursor it rescans from there.</summary>
    public ulong? FromBlock { get; set; }

    /// <summary>Last block (scans only); default the head minus the configured confirmations.</summary>
    public ulong? ToBlock { get; set; }

    /// <summary>The command's idempotency key when the <c>Idempotency-Key</c> header is not used.</summary>
    public string? IdempotencyKey { get; set; }
}
