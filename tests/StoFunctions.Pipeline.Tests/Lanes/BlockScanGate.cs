namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// An RPC handler that holds the first request asking for blocks (a reconciliation's chain scan) until released, so
/// a test can change storage while a reconciliation run is past its reads and before its writes.
/// </summary>
internal sealed class BlockScanGate : DelegatingHandler
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    public BlockScanGate()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>Completes when the first block request is being held.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Lets the held request (and every later one) through.</summary>
    public void Release() => _released.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Contains("eth_getBlockByNumber", StringComparison.Ordinal) && Interlocked.Exchange(ref _held, 1) == 0)
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
