using Azure;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// An entity-group transaction was rejected; the service rolled back every action, so nothing was written.
/// <see cref="FailedActionIndex"/> is the 0-based index of the action the service blamed.
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    internal TableTransactionFailedException(int status, string message, string? errorCode, int? failedActionIndex)
        : base(status, message, errorCode, null)
    {
        FailedActionIndex = failedActionIndex;
    }

    /// <summary>The index of the failing action, or null when the service did not say (batch-level errors).</summary>
    public int? FailedActionIndex { get; }
}
