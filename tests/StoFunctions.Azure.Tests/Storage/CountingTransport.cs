using Azure.Core;
using Azure.Core.Pipeline;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>A real HTTP transport that counts the requests it sends, to prove validation happens before sending.</summary>
internal sealed class CountingTransport : HttpPipelineTransport
{
    private readonly HttpClientTransport _inner = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override Request CreateRequest() => _inner.CreateRequest();

    public override void Process(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        _inner.Process(message);
    }

    public override ValueTask ProcessAsync(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        return _inner.ProcessAsync(message);
    }
}
