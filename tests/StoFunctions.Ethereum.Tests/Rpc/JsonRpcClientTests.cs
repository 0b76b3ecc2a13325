using System.Net;
using System.Numerics;
using System.Text.Json;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Ethereum.Tests.Integration;
using StoFunctions.Testing;

namespace StoFunctions.Ethereum.Tests.Rpc;

/// <summary>The client against a real anvil, directly and through a proxy that injects HTTP failures and hangs.</summary>
public sealed class JsonRpcClientTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private static readonly Address s_dev0 = Address.Parse(AnvilAccounts.Addresses[0]);

    [Fact]
    public async Task TypedReads_OnFreshAnvil_ReturnItsGenesisState()
    {
        using var client = new JsonRpcClient(anvil.RpcUrl);

        Assert.Equal(31337UL, await client.GetChainIdAsync());
        Assert.Equal((UInt256)(BigInteger.Pow(10, 22)), await client.GetBalanceAsync(Address.Parse(AnvilAccounts.Addresses[9]), BlockParameter.FromNumber(0)));
        Assert.Equal(0UL, await client.GetTransactionCountAsync(Address.Parse(AnvilAccounts.Addresses[9]), BlockParameter.Pending));
        Assert.True(await client.GetGasPriceAsync() > UInt256.Zero);
        Assert.True(await client.GetMaxPriorityFeePerGasAsync() > UInt256.Zero);
        Assert.Empty(await client.GetCodeAsync(s_dev0));

        BlockHeader genesis = (await client.GetBlockByNumberAsync(BlockParameter.Earliest))!;
        Assert.Equal(0UL, genesis.Number);
        Assert.Equal(Hash32.Zero, genesis.ParentHash);
        Assert.Equal((UInt256)1_000_000_000UL, genesis.BaseFeePerGas);
        Assert.Equal(30_000_000UL, genesis.GasLimit);
        Assert.Equal(genesis.Hash, (await client.GetBlockByNumberAsync(0))!.Hash);
    }

    [Fact]
    public async Task MissingThings_AreNullNotErrors()
    {
        using var client = new JsonRpcClient(anvil.RpcUrl);
        Hash32 unknown = Keccak256.Hash("no such transaction"u8);

        Assert.Null(await client.GetTransactionReceiptAsync(unknown));
        Assert.Null(await client.GetTransactionByHashAsync(unknown));
        Assert.Null(await client.GetBlockByNumberAsync(1_000_000));
    }

    [Fact]
    public async Task FeeHistory_WithPercentiles_HasOneRewardRowPerBlock()
    {
        using var client = new JsonRpcClient(anvil.RpcUrl);
        await anvil.Anvil.RpcAsync("anvil_mine", "0x3");
        ulong head = await client.GetBlockNumberAsync();

        FeeHistory history = await client.GetFeeHistoryAsync(2, head, [25.0, 75.0]);

        Assert.Equal(head - 1, history.OldestBlock);
        Assert.Equal(3, history.BaseFeePerGas.Count);
        Assert.Equal(2, history.GasUsedRatio.Count);
        Assert.Equal(2, history.Reward.Count);
        Assert.All(history.Reward, row => Assert.Equal(2, row.Count));
    }

    [Fact]
    public async Task UnknownMethod_ThrowsJsonRpcExceptionWithTheNodesCodeAndMessage()
    {
        using var client = new JsonRpcClient(anvil.RpcUrl);

        var error = await Assert.ThrowsAsync<JsonRpcException>(() => client.SendAsync<JsonElement>("eth_noSuchMethod"));

        Assert.IsNotType<JsonRpcTransportException>(error);
        Assert.Equal(-32601, error.Code);
        Assert.Equal("Method not found", error.RpcMessage);
        Assert.Equal("eth_noSuchMethod", error.Method);
    }

    [Fact]
    public async Task GenericSend_AnvilCheatCode_ChangesStateAndReadsBack()
    {
        using var client = new JsonRpcClient(anvil.RpcUrl);
        Address someone = Address.Parse("0x00000000000000000000000000000000000000aa");

        await client.SendAsync<JsonElement>("anvil_setBalance", [someone, (UInt256)12345UL]);

        Assert.Equal((UInt256)12345UL, await client.GetBalanceAsync(someone));
    }

    [Fact]
    public async Task Batch_OnePost_ResultsMatchedByIdAndErrorsStayPerRequest()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { ReverseBatches = true };
        using var client = new JsonRpcClient(proxy.Url);
        JsonRpcBatch batch = client.CreateBatch();

        Task<ulong> chainId = batch.Add<ulong>("eth_chainId");
        Task<JsonElement> missing = batch.Add<JsonElement>("eth_noSuchMethod");
        Task<UInt256> balance = batch.Add<UInt256>("eth_getBalance", Address.Parse(AnvilAccounts.Addresses[8]), BlockParameter.FromNumber(0));
        Task<BlockHeader?> genesis = batch.Add<BlockHeader>("eth_getBlockByNumber", BlockParameter.Earliest, false);
        await batch.SendAsync();

        Assert.Equal(1, proxy.Requests);
        Assert.StartsWith("[", proxy.Bodies[0], StringComparison.Ordinal);
        Assert.Equal(31337UL, await chainId);
        Assert.Equal((UInt256)BigInteger.Pow(10, 22), await balance);
        Assert.Equal(0UL, (await genesis)!.Number);
        JsonRpcException error = await Assert.ThrowsAsync<JsonRpcException>(() => missing);
        Assert.Equal(-32601, error.Code);
    }

    [Fact]
    public async Task EstimateGasMany_250Calls_AreThreeBatchPostsWithResultsInCallOrder_AndARefusedCallKeepsItsOwnError()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { ReverseBatches = true };
        using var client = new JsonRpcClient(proxy.Url);
        Address to = Address.Parse(AnvilAccounts.Addresses[7]);
        // A call with i non-zero bytes of data to an account without code costs exactly 21,000 + 40 i: no execution,
        // so EIP-7623's calldata floor (10 gas per token, 4 tokens per non-zero byte) exceeds EIP-2028's 16 per byte.
        var calls = Enumerable.Range(0, 250).Select(i => new CallRequest { From = s_dev0, To = to, Data = Enumerable.Repeat((byte)1, i).ToArray() }).ToList();
        // A creation whose init code is PUSH1 0 PUSH1 0 REVERT: reverts with empty data.
        calls[117] = new CallRequest { From = s_dev0, Data = [0x60, 0x00, 0x60, 0x00, 0xfd] };

        IReadOnlyList<GasEstimate> estimates = await client.EstimateGasManyAsync(calls, batchSize: 100, parallelBatches: 2);

        Assert.Equal(3, proxy.Requests);
        Assert.All(proxy.Bodies, body => Assert.StartsWith("[", body, StringComparison.Ordinal));
        Assert.Equal(250, estimates.Count);
        for (int i = 0; i < 250; i++)
        {
            if (i == 117)
            {
                Assert.False(estimates[i].Succeeded);
                Assert.Equal("eth_estimateGas", estimates[i].Error!.Method);
                Assert.Contains("revert", estimates[i].Error!.RpcMessage, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                Assert.True(estimates[i].Succeeded, $"call {i}: {estimates[i].Error?.Message}");
                Assert.Equal(21_000UL + (40UL * (ulong)i), estimates[i].Gas);
            }
        }
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0xZZ\"}", "the node's answer is malformed: '0xZZ' is not a hex quantity")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":42}", "expected a hex quantity string but found Number 42")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", "has neither 'result' nor 'error'")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}", "expected a hex quantity string but found Null")]
    public async Task MalformedResult_ThrowsJsonRpcExceptionNamingTheProblem(string body, string problem)
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { FixedBody = body };
        using var client = new JsonRpcClient(proxy.Url);

        var error = await Assert.ThrowsAsync<JsonRpcException>(() => client.GetBlockNumberAsync());

        Assert.Equal(JsonRpcException.ParseErrorCode, error.Code);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedReceipt_NamesTheMember()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { FixedBody = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"transactionHash\":\"0x12\"}}" };
        using var client = new JsonRpcClient(proxy.Url);

        var error = await Assert.ThrowsAsync<JsonRpcException>(() => client.GetTransactionReceiptAsync(Hash32.Zero));

        Assert.Contains("'transactionHash': \"0x12\" is not a 32-byte hash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonJsonBody_IsATransportFailure()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { FixedBody = "<html>bad gateway</html>" };
        using var client = new JsonRpcClient(proxy.Url, new JsonRpcClientOptions { MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<JsonRpcTransportException>(() => client.GetBlockNumberAsync());

        Assert.Contains("a body that is not JSON: <html>bad gateway</html>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockParameter_FormatsTagsAndHexNumbers()
    {
        Assert.Equal("latest", default(BlockParameter).ToString());
        Assert.Equal("pending", BlockParameter.Pending.ToString());
        Assert.Equal("finalized", BlockParameter.Finalized.ToString());
        Assert.Equal("0x0", ((BlockParameter)0UL).ToString());
        Assert.Equal("0x1b4", ((BlockParameter)436UL).ToString());
        Assert.Equal(436UL, ((BlockParameter)436UL).Number);
        Assert.Null(BlockParameter.Safe.Number);
    }

    [Fact]
    public async Task IdempotentRead_After503s_IsRetriedAndSucceeds()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl);
        using var client = new JsonRpcClient(proxy.Url, new JsonRpcClientOptions { RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 3 });
        proxy.FailNext(2);

        ulong chainId = await client.GetChainIdAsync();

        Assert.Equal(31337UL, chainId);
        Assert.Equal(3, proxy.Requests);
    }

    [Fact]
    public async Task IdempotentRead_WhenFailuresOutlastRetries_ThrowsTransportExceptionWithStatus()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { FailureStatus = HttpStatusCode.TooManyRequests };
        using var client = new JsonRpcClient(proxy.Url, new JsonRpcClientOptions { RetryDelay = TimeSpan.FromMilliseconds(5), MaxRetries = 2 });
        proxy.FailNext(10);

        var error = await Assert.ThrowsAsync<JsonRpcTransportException>(() => client.GetBlockNumberAsync());

        Assert.Equal(429, error.HttpStatus);
        Assert.Equal(3, proxy.Requests);
        Assert.Equal(BroadcastErrorKind.MaybeSent, BroadcastErrorClassifier.Classify(error));
    }

    [Fact]
    public async Task SendRawTransaction_After503_IsNotRetried()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl);
        using var client = new JsonRpcClient(proxy.Url, new JsonRpcClientOptions { RetryDelay = TimeSpan.FromMilliseconds(5) });
        proxy.FailNext(1);

        var error = await Assert.ThrowsAsync<JsonRpcTransportException>(() => client.SendRawTransactionAsync(new byte[] { 0x02, 0xc0 }));

        Assert.Equal(503, error.HttpStatus);
        Assert.Equal(1, proxy.Requests);
    }

    [Fact]
    public async Task HungNode_ThrowsTimeoutExceptionAfterTheConfiguredTimeout_AndWritesAreNotRetried()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { Hang = true };
        // Attempts are counted where the client makes them: on a loaded machine a 300 ms attempt can time out before
        // the proxy has even read it (seen: the proxy counted 0 requests at the start of a suite).
        var attempts = new AttemptCounter { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(attempts) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new JsonRpcClient(http, proxy.Url, new JsonRpcClientOptions { Timeout = TimeSpan.FromMilliseconds(300), MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(5) });

        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<JsonRpcTimeoutException>(() => client.SendRawTransactionAsync(new byte[] { 0x02, 0xc0 }));

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Timeout);
        Assert.Equal(1, attempts.Count);
        Assert.Equal(BroadcastErrorKind.MaybeSent, BroadcastErrorClassifier.Classify(error));

        await Assert.ThrowsAsync<JsonRpcTimeoutException>(() => client.GetBlockNumberAsync());
        Assert.Equal(1 + 3, attempts.Count);
    }

    /// <summary>Counts the HTTP requests a client starts.</summary>
    private sealed class AttemptCounter : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task NodeFrozenAcrossTimeoutAndRetry_StallReportedOnce_RecoveryReportedOnceWhenItAnswers()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { Hang = true };
        var observer = new RecordingStallObserver();
        using var client = new JsonRpcClient(proxy.Url, new JsonRpcClientOptions
        {
            Timeout = TimeSpan.FromSeconds(2),
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            StallWarningAfter = TimeSpan.FromMilliseconds(300),
            StallObserver = observer,
        });

        // Two attempts of 2 s each, both unanswered: one stall, reported once (not per attempt), no recovery yet.
        await Assert.ThrowsAsync<JsonRpcTimeoutException>(() => client.GetBlockNumberAsync());
        Assert.Equal(["eth_blockNumber"], observer.Stalls);
        Assert.Empty(observer.Recoveries);

        proxy.Hang = false;
        await client.GetBlockNumberAsync();
        await client.GetBlockNumberAsync();
        Assert.Single(observer.Stalls);
        TimeSpan stalledFor = Assert.Single(observer.Recoveries);
        Assert.True(stalledFor >= TimeSpan.FromSeconds(3), $"the stall lasted two 2 s attempts but was reported as {stalledFor}");
    }

    [Fact]
    public async Task CallerCancellation_IsOperationCanceledNotTimeout()
    {
        await using var proxy = new FaultInjectingProxy(anvil.RpcUrl) { Hang = true };
        using var client = new JsonRpcClient(proxy.Url);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Exception error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetBlockNumberAsync(cancel.Token));

        Assert.IsNotType<JsonRpcTimeoutException>(error);
    }

    [Fact]
    public async Task NothingListening_ThrowsTransportExceptionWithoutStatus()
    {
        using var client = new JsonRpcClient(new Uri($"http://127.0.0.1:{FreePort.Next()}"), new JsonRpcClientOptions { MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<JsonRpcTransportException>(() => client.GetChainIdAsync());

        Assert.Null(error.HttpStatus);
        Assert.Contains("failed", error.Message, StringComparison.Ordinal);
    }
}
