namespace StoFunctions.Runtime;

/// <summary>One blob function's source: the container, an optional name prefix and names to ignore.</summary>
public sealed class BlobFunctionOptions
{
    /// <summary>The container to watch.</summary>
    public string Container { get; set; } = string.Empty;

    /// <summary>Only blobs whose names start with this (a "path" in Functions terms); null for all.</summary>
    public string? Prefix { get; set; }

    /// <summary>Blobs this returns true for never trigger (e.g. the function's own <c>*.result.json</c> reports).</summary>
    public Func<string, bool>? Exclude { get; set; }
}
