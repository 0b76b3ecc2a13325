using Azure;

namespace StoFunctions.Azure.Storage.Tables;

/// <summary>One action of an entity-group transaction (<see cref="TableClient.SubmitTransactionAsync"/>).</summary>
/// <param name="ActionType">What to do.</param>
/// <param name="Entity">The entity (for deletes only its keys matter).</param>
/// <param name="ETag">For updates (required) and deletes: the ETag the entity must still have; <see cref="ETag.All"/>
/// for any. A delete with the default ETag is unconditional.</param>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);
