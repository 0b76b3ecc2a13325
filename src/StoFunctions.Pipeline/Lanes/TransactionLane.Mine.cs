using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

public sealed partial class TransactionLane
{
    private const int MethodNotFound = -32601;

    // When the lane may ask the development node for a block again, and whether the node refused to make one.
    private DateTimeOffset _nextMineRequest;
    private bool _mineRefused;

    /// <summary>
    /// <see cref="LaneOptions.MineWhenStalledAfter"/>: the row of the chain's next nonce was accepted by the node that
    /// long ago and is still unmined, so a development node's automine stalled; one <c>evm_mine</c> puts the pool into
    /// a block. Only while the node's automine is on (a test or an operator that turned it off mines itself). The
    /// transactions are the ones already sent: nothing new is signed or sent.
    /// </summary>
    private async Task MineIfStalledAsync(ChainFacts facts, CancellationToken cancellationToken)
    {
        if (_options.MineWhenStalledAfter is not TimeSpan after || _mineRefused
            || !_open.TryGetValue(facts.LatestNonce, out LaneEntry? next)
            || next.Tx.State != TransactionState.Broadcast || next.Highest?.FirstSent is not DateTimeOffset firstSent)
        {
            return;
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (now - firstSent < after || now < _nextMineRequest)
        {
            return;
        }

        _nextMineRequest = now + after;
        try
        {
            // Only a stalled automine is nudged: with automine off, whoever turned it off decides when blocks happen.
            if (!await _rpc.SendAsync<bool>("anvil_getAutomine", null, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            Log.MiningStalledDevChain(_logger, Lane.PartitionKey, next.Tx.Nonce, (now - firstSent).TotalSeconds);
            await _rpc.SendAsync<string>("evm_mine", null, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException e) when (e.Code == MethodNotFound)
        {
            _mineRefused = true;
            Log.MineRefused(_logger, Lane.PartitionKey, e.RpcMessage);
        }
    }
}
