using System.Diagnostics;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// The head block's gas limit, the cap of every planned gas limit, read at most once per <see cref="MaxAge"/>: a
/// block's limit moves by at most 1/1024 of its parent's, so one read serves every estimate for a few blocks instead
/// of costing each single transfer an <c>eth_getBlockByNumber</c>. The cap matters only for a call whose estimate
/// plus margin reaches the block's whole limit.
/// </summary>
public sealed class HeadGasLimit(JsonRpcClient rpc)
{
    /// <summary>How long a read limit is used: about one block on mainnet.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(12);

    private readonly Lock _gate = new();
    private Task<ulong>? _read;
    private long _readAt;

    /// <summary>The head block's gas limit, read now or at most <see cref="MaxAge"/> ago.</summary>
    public Task<ulong> GetAsync(CancellationToken cancellationToken)
    {
        Task<ulong> read;
        lock (_gate)
        {
            if (_read is null || _read.IsFaulted || _read.IsCanceled || Stopwatch.GetElapsedTime(_readAt) > MaxAge)
            {
                // Shared by every caller until it is old, so it runs without any one caller's token.
                _read = ReadAsync();
                _readAt = Stopwatch.GetTimestamp();
            }

            read = _read;
        }

        return read.WaitAsync(cancellationToken);
    }

    private async Task<ulong> ReadAsync()
    {
        BlockHeader head = await rpc.GetBlockByNumberAsync(BlockParameter.Latest, CancellationToken.None).ConfigureAwait(false)
            ?? throw new JsonRpcException("eth_getBlockByNumber", JsonRpcException.ParseErrorCode, "the node has no latest block", null);
        return head.GasLimit;
    }
}
