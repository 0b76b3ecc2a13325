namespace StoFunctions.Pipeline.Scanning;

/// <summary>A scan or cap-table request that cannot be served; the message says what, where and how to fix it.</summary>
public sealed class ScanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScanException(string message, ScanErrorKind kind = ScanErrorKind.Failed, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    /// <summary>What kind of failure this is (maps to an HTTP status at the edge).</summary>
    public ScanErrorKind Kind { get; }
}
