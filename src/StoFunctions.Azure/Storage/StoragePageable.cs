using Azure;

namespace StoFunctions.Azure.Storage;

/// <summary>
/// An <see cref="AsyncPageable{T}"/> over a continuation-token API: fetches pages until the service stops
/// returning a token. Empty pages that still carry a token are followed (Table queries may return them).
/// </summary>
internal sealed class StoragePageable<T>(
    Func<string?, int?, CancellationToken, Task<Page<T>>> fetchPage,
    CancellationToken cancellationToken) : AsyncPageable<T>(cancellationToken)
    where T : notnull
{
    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        do
        {
            Page<T> page = await fetchPage(continuationToken, pageSizeHint, CancellationToken).ConfigureAwait(false);
            continuationToken = page.ContinuationToken;
            yield return page;
        }
        while (!string.IsNullOrEmpty(continuationToken));
    }
}
