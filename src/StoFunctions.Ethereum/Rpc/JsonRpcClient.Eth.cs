namespace StoFunctions.Ethereum.Rpc;

/// <summary>Typed <c>eth_*</c> methods (https://ethereum.github.io/execution-apis/api-documentation/).</summary>
public sealed partial class JsonRpcClient
{
    /// <summary><c>eth_chainId</c>: the EIP-155 chain id.</summary>
    public Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        SendRequiredAsync<ulong>("eth_chainId", [], cancellationToken);

    /// <summary><c>eth_blockNumber</c>: the newest block number.</summary>
    public Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        SendRequiredAsync<ulong>("eth_blockNumber", [], cancellationToken);

    /// <summary><c>eth_getBalance</c>: wei held by <paramref name="address"/> at <paramref name="block"/> (default latest).</summary>
    public Task<UInt256> GetBalanceAsync(Address address, BlockParameter block = default, CancellationToken cancellationToken = default) =>
        SendRequiredAsync<UInt256>("eth_getBalance", [address, block], cancellationToken);

    /// <summary><c>eth_getTransactionCount</c>: the next nonce of <paramref name="address"/> at <paramref name="block"/>
    /// (<see cref="BlockParameter.Pending"/> counts the node's pool).</summary>
    public Task<ulong> GetTransactionCountAsync(Address address, BlockParameter block = default, CancellationToken cancellationToken = default) =>
        SendRequiredAsync<ulong>("eth_getTransactionCount", [address, block], cancellationToken);

    /// <summary><c>eth_getCode</c>: the deployed bytecode at <paramref name="address"/> (empty for an account without code).</summary>
    public Task<byte[]> GetCodeAsync(Address address, BlockParameter block = default, CancellationToken cancellationToken = default) =>
        SendRequiredAsync<byte[]>("eth_getCode", [address, block], cancellationToken);

    /// <summary><c>eth_call</c>: executes <paramref name="call"/> without a transaction and returns its return data.
    /// A revert throws <see cref="JsonRpcException"/>; read its data with <see cref="JsonRpcException.TryGetRevertData"/>.</summary>
    public Task<byte[]> CallAsync(CallRequest call, BlockParameter block = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return SendRequiredAsync<byte[]>("eth_call", [call, block], cancellationToken);
    }

    /// <summary><c>eth_estimateGas</c>: gas <paramref name="call"/> would use (the node's own search, without margin).</summary>
    public Task<ulong> EstimateGasAsync(CallRequest call, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        object?[] parameters = block is BlockParameter b ? [call, b] : [call];
        return SendRequiredAsync<ulong>("eth_estimateGas", parameters, cancellationToken);
    }

    /// <summary>
    /// <c>eth_estimateGas</c> for many calls at once, as JSON-RPC batches of <paramref name="batchSize"/> requests
    /// with up to <paramref name="parallelBatches"/> batches in flight: a 2,000-row plan costs 20 round trips
    /// spread over 4 connections instead of 2,000 sequential ones. Each call succeeds or fails on its own (a
    /// revert is that call's <see cref="GasEstimate.Error"/>); the results are in the order of <paramref name="calls"/>.
    /// </summary>
    /// <exception cref="JsonRpcTransportException">A batch's outcome is unknown (after the client's retries).</exception>
    public async Task<IReadOnlyList<GasEstimate>> EstimateGasManyAsync(IReadOnlyList<CallRequest> calls, BlockParameter? block = null, int batchSize = 100, int parallelBatches = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelBatches);
        var results = new GasEstimate[calls.Count];
        IEnumerable<int> starts = Enumerable.Range(0, (calls.Count + batchSize - 1) / batchSize).Select(i => i * batchSize);
        await Parallel.ForEachAsync(starts, new ParallelOptions { MaxDegreeOfParallelism = parallelBatches, CancellationToken = cancellationToken }, async (start, ct) =>
        {
            int count = Math.Min(batchSize, calls.Count - start);
            JsonRpcBatch batch = CreateBatch();
            var answers = new Task<ulong>[count];
            for (int i = 0; i < count; i++)
            {
                CallRequest call = calls[start + i] ?? throw new ArgumentException($"calls[{start + i}] is null.", nameof(calls));
                answers[i] = batch.Add<ulong>("eth_estimateGas", block is BlockParameter b ? [call, b] : [call]);
            }

            await batch.SendAsync(ct).ConfigureAwait(false);
            for (int i = 0; i < count; i++)
            {
                try
                {
                    results[start + i] = new GasEstimate(await answers[i].ConfigureAwait(false), null);
                }
                catch (JsonRpcException e) when (e is not JsonRpcTransportException)
                {
                    results[start + i] = new GasEstimate(0, e);
                }
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary><c>eth_gasPrice</c>: the node's suggested legacy gas price.</summary>
    public Task<UInt256> GetGasPriceAsync(CancellationToken cancellationToken = default) =>
        SendRequiredAsync<UInt256>("eth_gasPrice", [], cancellationToken);

    /// <summary><c>eth_maxPriorityFeePerGas</c>: the node's suggested EIP-1559 tip.</summary>
    public Task<UInt256> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        SendRequiredAsync<UInt256>("eth_maxPriorityFeePerGas", [], cancellationToken);

    /// <summary><c>eth_feeHistory</c>: base fees and tip percentiles of the <paramref name="blockCount"/> blocks up to <paramref name="newestBlock"/>.</summary>
    public Task<FeeHistory> GetFeeHistoryAsync(int blockCount, BlockParameter newestBlock = default, IReadOnlyList<double>? rewardPercentiles = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockCount);
        return SendRequiredAsync<FeeHistory>("eth_feeHistory", [(UInt256)(ulong)blockCount, newestBlock, rewardPercentiles ?? []], cancellationToken);
    }

    /// <summary>
    /// <c>eth_sendRawTransaction</c>: broadcasts signed transaction bytes and returns the hash the node computed.
    /// Never retried here: on <see cref="JsonRpcTransportException"/> the transaction may have been sent, and on
    /// <see cref="JsonRpcException"/> <see cref="BroadcastErrorClassifier"/> says what the node meant.
    /// </summary>
    public Task<Hash32> SendRawTransactionAsync(ReadOnlyMemory<byte> signedTransaction, CancellationToken cancellationToken = default) =>
        SendRequiredAsync<Hash32>("eth_sendRawTransaction", [signedTransaction], cancellationToken);

    /// <summary><c>eth_getTransactionReceipt</c>: the receipt, or null while the transaction is pending or unknown.</summary>
    public Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transactionHash, CancellationToken cancellationToken = default) =>
        SendAsync<TransactionReceipt>("eth_getTransactionReceipt", [transactionHash], cancellationToken);

    /// <summary><c>eth_getTransactionByHash</c>: the transaction, or null when the node does not know it.</summary>
    public Task<RpcTransaction?> GetTransactionByHashAsync(Hash32 transactionHash, CancellationToken cancellationToken = default) =>
        SendAsync<RpcTransaction>("eth_getTransactionByHash", [transactionHash], cancellationToken);

    /// <summary><c>eth_getBlockByNumber</c> (transaction hashes only): the header, or null when the block does not exist yet.</summary>
    public Task<BlockHeader?> GetBlockByNumberAsync(BlockParameter block, CancellationToken cancellationToken = default) =>
        SendAsync<BlockHeader>("eth_getBlockByNumber", [block, false], cancellationToken);

    /// <summary><c>eth_getBlockByNumber</c> with full transactions, or null when the block does not exist yet.</summary>
    public Task<BlockWithTransactions?> GetBlockWithTransactionsAsync(BlockParameter block, CancellationToken cancellationToken = default) =>
        SendAsync<BlockWithTransactions>("eth_getBlockByNumber", [block, true], cancellationToken);

    /// <summary><c>eth_getLogs</c>: logs matching <paramref name="filter"/>, in chain order.</summary>
    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await SendRequiredAsync<IReadOnlyList<LogEntry>>("eth_getLogs", [filter], cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendRequiredAsync<T>(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        T? result = await SendAsync<T>(method, parameters, cancellationToken).ConfigureAwait(false);
        return result is null
            ? throw new JsonRpcException(method, JsonRpcException.ParseErrorCode, "the node's answer is malformed: the result is null", "null")
            : result;
    }
}
