namespace StoFunctions.Azure.Storage;

/// <summary>
/// Service error codes this library and its callers branch on (compare with
/// <see cref="global::Azure.RequestFailedException.ErrorCode"/>). Unknown codes still arrive verbatim.
/// </summary>
public static class StorageErrorCode
{
    /// <summary>Table: the entity with these keys exists (409).</summary>
    public const string EntityAlreadyExists = "EntityAlreadyExists";

    /// <summary>Table: the If-Match ETag did not match (412).</summary>
    public const string UpdateConditionNotSatisfied = "UpdateConditionNotSatisfied";

    /// <summary>Table/generic: resource not found (404).</summary>
    public const string ResourceNotFound = "ResourceNotFound";

    /// <summary>Table: the table exists (409).</summary>
    public const string TableAlreadyExists = "TableAlreadyExists";

    /// <summary>Table: the table does not exist (404).</summary>
    public const string TableNotFound = "TableNotFound";

    /// <summary>Queue: the pop receipt is stale (400).</summary>
    public const string PopReceiptMismatch = "PopReceiptMismatch";

    /// <summary>Queue: the message is gone (404).</summary>
    public const string MessageNotFound = "MessageNotFound";

    /// <summary>Queue: the queue does not exist (404).</summary>
    public const string QueueNotFound = "QueueNotFound";

    /// <summary>Blob: create-only upload found an existing blob (409).</summary>
    public const string BlobAlreadyExists = "BlobAlreadyExists";

    /// <summary>Blob: the blob does not exist (404).</summary>
    public const string BlobNotFound = "BlobNotFound";

    /// <summary>Blob: the container does not exist (404).</summary>
    public const string ContainerNotFound = "ContainerNotFound";

    /// <summary>Blob: a conditional header did not match (412).</summary>
    public const string ConditionNotMet = "ConditionNotMet";

    /// <summary>Blob: another lease is active (409).</summary>
    public const string LeaseAlreadyPresent = "LeaseAlreadyPresent";

    /// <summary>Blob: the lease id does not match the active lease (409).</summary>
    public const string LeaseIdMismatchWithLeaseOperation = "LeaseIdMismatchWithLeaseOperation";

    /// <summary>Blob: a write to a leased blob carried no lease id (412).</summary>
    public const string LeaseIdMissing = "LeaseIdMissing";

    /// <summary>Blob: the lease is not active (409).</summary>
    public const string LeaseNotPresentWithLeaseOperation = "LeaseNotPresentWithLeaseOperation";
}
