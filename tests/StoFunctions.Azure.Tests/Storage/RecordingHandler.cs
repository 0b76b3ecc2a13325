using System.Collections.Concurrent;
using System.Net;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>
/// Stands in for the storage service over HTTPS (Azurite takes bearer tokens only over HTTPS): records each request
/// with its headers and answers <paramref name="status"/> with an empty body.
/// </summary>
internal sealed class RecordingHandler(HttpStatusCode status) : HttpMessageHandler
{
    private readonly ConcurrentQueue<(Uri Uri, string? Authorization, string? Version)> _requests = new();

    public IReadOnlyList<(Uri Uri, string? Authorization, string? Version)> Requests => [.. _requests];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue((request.RequestUri!, request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("x-ms-version", out IEnumerable<string>? versions) ? versions.Single() : null));
        return Task.FromResult(new HttpResponseMessage(status) { Content = new ByteArrayContent([]) });
    }
}
