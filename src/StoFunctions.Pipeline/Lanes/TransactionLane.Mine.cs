using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

public sealed partial class TransactionLane
{
    private const int MethodNotFound = -32601;

    // When the lane may ask the development node for a block again, and whether the node refused to make one.
    private DateTimeOffset _nextMineRequest;
    private bool _mineRefused;

    // The nonce a block was last asked for: still the chain's next nonce at the following request means the block did
    // not take it, so the node's pool has lost track of it.
    private ulong? _minedFor;

    /// <summary>
    /// <see cref="LaneOptions.MineWhenStalledAfter"/>: the row of the chain's next nonce was accepted by the node that
    /// long ago and is still unmined, so a development node's automine stalled. First one <c>evm_mine</c> puts the pool
    /// into a block; if the row is still the chain's next nonce one interval later, that block did not take it and the
    /// sender's pool entries are replaced (<see cref="ResetPoolAsync"/>). Only while the node's automine is on (a test or
    /// an operator that turned it off mines itself). The transactions are the ones already signed: nothing new is
    /// signed, and every send is the same bytes.
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
                _minedFor = null;
                return;
            }

            if (_minedFor == next.Tx.Nonce)
            {
                _minedFor = null;
                await ResetPoolAsync(facts, next, (now - firstSent).TotalSeconds, cancellationToken).ConfigureAwait(false);
                return;
            }

            Log.MiningStalledDevChain(_logger, Lane.PartitionKey, next.Tx.Nonce, (now - firstSent).TotalSeconds);
            await _rpc.SendAsync<string>("evm_mine", null, cancellationToken).ConfigureAwait(false);
            _minedFor = next.Tx.Nonce;
        }
        catch (JsonRpcException e) when (e.Code == MethodNotFound)
        {
            _mineRefused = true;
            Log.MineRefused(_logger, Lane.PartitionKey, e.RpcMessage);
        }
    }

    /// <summary>
    /// A block was asked for and did not take the chain's next nonce, which the node keeps answering "already known":
    /// anvil's pool holds it where its miner never looks. Seen under load: anvil computes what a transaction waits for
    /// from the sender's nonce read before the previous transaction was mined, so the transaction waits in its queue for
    /// a predecessor the chain already has, forever. Logs where the pool holds the sender's nonces (the evidence), then
    /// removes the sender's entries (<c>anvil_removePoolTransactions</c>) and resends every broadcast row's same bytes
    /// in nonce order at the next step: the chain's next nonce then needs nothing and is mined.
    /// </summary>
    private async Task ResetPoolAsync(ChainFacts facts, LaneEntry next, double seconds, CancellationToken cancellationToken)
    {
        JsonElement content = await _rpc.SendAsync<JsonElement>("txpool_content", null, cancellationToken).ConfigureAwait(false);
        List<ulong> ready = SenderNonces(content, "pending");
        List<ulong> queued = SenderNonces(content, "queued");
        string where = ready.Contains(next.Tx.Nonce) ? "ready" : queued.Contains(next.Tx.Nonce) ? "queued" : "absent";
        Log.PoolLostTrack(_logger, Lane.PartitionKey, next.Tx.Nonce, seconds, where, facts.LatestNonce, Describe(ready), Describe(queued));

        await _rpc.SendAsync<JsonElement>("anvil_removePoolTransactions", [Lane.Sender], cancellationToken).ConfigureAwait(false);
        foreach (LaneEntry entry in _open.Values)
        {
            if (entry.Tx.State == TransactionState.Broadcast)
            {
                entry.ForceResend = true;
            }
        }
    }

    /// <summary>The nonces of this lane's sender in one section ("pending" = ready, "queued") of <c>txpool_content</c>.</summary>
    private List<ulong> SenderNonces(JsonElement content, string section)
    {
        var nonces = new List<ulong>();
        if (content.ValueKind != JsonValueKind.Object || !content.TryGetProperty(section, out JsonElement bySender) || bySender.ValueKind != JsonValueKind.Object)
        {
            return nonces;
        }

        foreach (JsonProperty sender in bySender.EnumerateObject())
        {
            if (Address.TryParse(sender.Name, out Address address) && address == Lane.Sender)
            {
                nonces.AddRange(sender.Value.EnumerateObject().Select(n => ulong.Parse(n.Name, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        nonces.Sort();
        return nonces;
    }

    private static string Describe(List<ulong> nonces) =>
        nonces.Count == 0 ? "none" : nonces.Count == 1 ? $"1 ({nonces[0]})" : $"{nonces.Count} ({nonces[0]}–{nonces[^1]})";
}
