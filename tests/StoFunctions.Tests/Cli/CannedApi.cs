using System.Net;
using System.Text;

namespace StoFunctions.Tests.Cli;

/// <summary>
/// A stand-in API answering each <c>GET /api/commands/{id}</c> with the next canned status (the last one repeats),
/// for command outcomes the real stack cannot be made to reach on demand (a Failed command, a wait that outlasts
/// its timeout). Counts the status reads.
/// </summary>
public sealed class CannedApi(params string[] statuses) : HttpMessageHandler
{
    private int _reads;

    /// <summary>How many status reads were answered.</summary>
    public int Reads => Volatile.Read(ref _reads);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get || request.RequestUri?.AbsolutePath.StartsWith("/api/commands/", StringComparison.Ordinal) != true)
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        int read = Interlocked.Increment(ref _reads);
        string body = statuses[Math.Min(read, statuses.Length) - 1];
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
