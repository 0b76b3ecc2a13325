using Azure;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>
/// An update or delete guarded by an ETag lost the race: the entity changed since it was read (HTTP 412,
/// <c>UpdateConditionNotSatisfied</c>). Re-read the entity and retry the change.
/// </summary>
public sealed class TableConcurrencyException : RequestFailedException
{
    internal TableConcurrencyException(Response response, string operation)
        : base(response.Status,
            $"{operation} failed: the entity's ETag no longer matches (HTTP {response.Status} {StoragePipeline.ErrorCode(response)}). Another writer changed it; re-read the entity and retry.",
            StoragePipeline.ErrorCode(response) ?? StorageErrorCode.UpdateConditionNotSatisfied,
            null)
    {
    }
}
