using System.Text.Json;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Tables;

public partial class TableClient
{
    private static readonly RequestMethod s_merge = new("MERGE");

    /// <summary>Inserts a new entity; the response's <c>ETag</c> header is the entity's new ETag.</summary>
    /// <exception cref="RequestFailedException">409 <c>EntityAlreadyExists</c>, or another service error.</exception>
    /// <exception cref="ArgumentException">The entity breaks a service limit (keys, names, sizes).</exception>
    public virtual async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableValidation.Entity(entity);
        using HttpMessage message = CreateMessage(RequestMethod.Post, Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJson(message, TableEntityJson.Serialize(entity));
        return await _pipeline.SendAsync(message, cancellationToken, 204, 201).ConfigureAwait(false);
    }

    /// <summary>Reads one entity, including its <see cref="TableEntity.ETag"/> and <see cref="TableEntity.Timestamp"/>.</summary>
    /// <exception cref="RequestFailedException">404 <c>ResourceNotFound</c> when absent, or another service error.</exception>
    public virtual async Task<Response<TableEntity>> GetEntityAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        TableValidation.Key(partitionKey, nameof(partitionKey));
        TableValidation.Key(rowKey, nameof(rowKey));
        using HttpMessage message = CreateMessage(RequestMethod.Get, EntityPath(Name, partitionKey, rowKey));
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        return Response.FromValue(ReadEntity(response), response);
    }

    /// <summary>Reads one entity, or no value when it does not exist (no exception for 404).</summary>
    public virtual async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        TableValidation.Key(partitionKey, nameof(partitionKey));
        TableValidation.Key(rowKey, nameof(rowKey));
        using HttpMessage message = CreateMessage(RequestMethod.Get, EntityPath(Name, partitionKey, rowKey));
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        return new StorageNullableResponse<TableEntity>(response, response.Status == 404 ? null : ReadEntity(response));
    }

    /// <summary>Inserts the entity or, when it exists, merges into or replaces it, unconditionally.</summary>
    public virtual async Task<Response> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        TableValidation.Entity(entity);
        using HttpMessage message = CreateMessage(mode == TableUpdateMode.Merge ? s_merge : RequestMethod.Put, EntityPath(Name, entity.PartitionKey, entity.RowKey));
        SetJson(message, TableEntityJson.Serialize(entity));
        return await _pipeline.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates an existing entity only if its ETag still equals <paramref name="ifMatch"/>; pass the ETag read
    /// with the entity, or <see cref="ETag.All"/> to overwrite unconditionally. The response's <c>ETag</c>
    /// header is the new ETag.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ifMatch"/> is default: an unconditional write must be explicit.</exception>
    /// <exception cref="TableConcurrencyException">The entity changed since <paramref name="ifMatch"/> was read (412).</exception>
    /// <exception cref="RequestFailedException">404 when the entity does not exist, or another service error.</exception>
    public virtual async Task<Response> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        TableValidation.Entity(entity);
        if (ifMatch == default)
        {
            throw new ArgumentException(
                $"Update of ({entity.PartitionKey}, {entity.RowKey}) has no ETag: pass the ETag read with the entity, or ETag.All to overwrite unconditionally.",
                nameof(ifMatch));
        }

        using HttpMessage message = CreateMessage(mode == TableUpdateMode.Merge ? s_merge : RequestMethod.Put, EntityPath(Name, entity.PartitionKey, entity.RowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch.ToString());
        SetJson(message, TableEntityJson.Serialize(entity));
        return await SendGuardedAsync(message, "Update of entity", cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the entity if its ETag equals <paramref name="ifMatch"/> (default: <c>*</c>). As in the Azure SDK,
    /// a missing entity is success (the 404 response is returned).
    /// </summary>
    /// <exception cref="TableConcurrencyException">The entity changed since <paramref name="ifMatch"/> was read (412).</exception>
    public virtual async Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        TableValidation.Key(partitionKey, nameof(partitionKey));
        TableValidation.Key(rowKey, nameof(rowKey));
        using HttpMessage message = CreateMessage(RequestMethod.Delete, EntityPath(Name, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch == default ? "*" : ifMatch.ToString());
        return await SendGuardedAsync(message, "Delete of entity", cancellationToken, 204, 404).ConfigureAwait(false);
    }

    private static TableEntity ReadEntity(Response response)
    {
        using JsonDocument json = JsonDocument.Parse(response.Content);
        TableEntity entity = TableEntityJson.Read(json.RootElement);
        if (response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }

        return entity;
    }

    private async Task<Response> SendGuardedAsync(HttpMessage message, string operation, CancellationToken cancellationToken, params int[] expected)
    {
        try
        {
            return await _pipeline.SendAsync(message, cancellationToken, expected).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new TableConcurrencyException(message.Response, $"{operation} in table '{Name}'");
        }
    }
}
