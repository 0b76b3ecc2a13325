using System.Collections.Concurrent;
using Azure.Core;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>A credential the test controls: issues a fixed token and records every scope it was asked for.</summary>
internal sealed class RecordingStorageCredential(string token) : TokenCredential
{
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<string> Scopes => [.. _scopes];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _scopes.Enqueue(string.Join(' ', requestContext.Scopes));
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
