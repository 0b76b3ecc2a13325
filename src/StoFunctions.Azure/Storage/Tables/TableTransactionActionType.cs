namespace StoFunctions.Azure.Storage.Tables;

/// <summary>The operation of one <see cref="TableTransactionAction"/>.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails if the entity exists.</summary>
    Add,

    /// <summary>Merge into an existing entity, guarded by the action's ETag (or <c>*</c>).</summary>
    UpdateMerge,

    /// <summary>Replace an existing entity, guarded by the action's ETag (or <c>*</c>).</summary>
    UpdateReplace,

    /// <summary>Insert or merge, unconditionally.</summary>
    UpsertMerge,

    /// <summary>Insert or replace, unconditionally.</summary>
    UpsertReplace,

    /// <summary>Delete, guarded by the action's ETag (or <c>*</c>).</summary>
    Delete,
}
