namespace StoFunctions.Azure.Storage.Tables;

/// <summary>How an update or upsert treats properties the request does not name.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep them (HTTP MERGE).</summary>
    Merge,

    /// <summary>Drop them: the entity becomes exactly the request (HTTP PUT).</summary>
    Replace,
}
