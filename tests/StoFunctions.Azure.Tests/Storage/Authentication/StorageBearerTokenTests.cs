using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage.Queues;

namespace StoFunctions.Azure.Tests.Storage.Authentication;

/// <summary>Entra ID auth and retries need HTTPS and fault injection that Azurite cannot give, so these tests
/// run the real pipeline over an in-process <see cref="HttpMessageHandler"/> that records what was sent.</summary>
public sealed class StorageBearerTokenTests
{
    private sealed class RecordingHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            HttpStatusCode status = statuses[Math.Min(Requests.Count - 1, statuses.Length - 1)];
            return Task.FromResult(new HttpResponseMessage(status) { Content = new ByteArrayContent([]) });
        }
    }

    private sealed class FixedTokenCredential : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Add(requestContext.Scopes);
            return new AccessToken("token-1", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }

    [Fact]
    public async Task Token_credential_sends_bearer_token_for_storage_scope_with_version()
    {
        var handler = new RecordingHandler(HttpStatusCode.Created);
        var credential = new FixedTokenCredential();
        var options = new QueueClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        var queue = new QueueClient(new Uri("https://acct.queue.core.windows.net"), "jobs", credential, options);

        await queue.CreateIfNotExistsAsync();

        HttpRequestMessage sent = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-1", sent.Headers.Authorization!.ToString());
        Assert.Equal("2021-12-02", sent.Headers.GetValues("x-ms-version").Single());
        Assert.Equal(new Uri("https://acct.queue.core.windows.net/jobs"), sent.RequestUri);
        Assert.Equal(["https://storage.azure.com/.default"], Assert.Single(credential.Scopes));
    }

    [Fact]
    public async Task Transient_503_is_retried_by_the_azure_core_retry_policy()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created);
        var options = new QueueClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        var queue = new QueueClient(new Uri("https://acct.queue.core.windows.net"), "jobs", new FixedTokenCredential(), options);

        Assert.Equal(201, (await queue.CreateIfNotExistsAsync()).Status);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Token_credential_over_plain_http_is_refused_before_sending()
    {
        var handler = new RecordingHandler(HttpStatusCode.Created);
        var options = new QueueClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        var queue = new QueueClient(new Uri("http://127.0.0.1:1/devstoreaccount1"), "jobs", new FixedTokenCredential(), options);
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.CreateIfNotExistsAsync());
        Assert.Empty(handler.Requests);
    }
}
