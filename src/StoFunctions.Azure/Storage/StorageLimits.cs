namespace StoFunctions.Azure.Storage;

/// <summary>Service limits the app sizes its requests by (the SDKs do not expose them as constants).</summary>
public static class StorageLimits
{
    /// <summary>At most this many actions fit in one entity-group transaction.</summary>
    public const int MaxTransactionActions = 100;

    /// <summary>A Table query returns at most this many entities per page.</summary>
    public const int MaxTablePageSize = 1000;

    /// <summary>One Get Messages call returns at most this many queue messages.</summary>
    public const int MaxMessagesPerCall = 32;
}
