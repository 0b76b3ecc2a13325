using System.Text;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Ledger;
using Xunit;

namespace StoFunctions.Testing;

/// <summary>
/// The independent invariant check of design/pipeline.md, for the pipeline tests and the app's resilience tests
/// alike: it reads the chain (<c>eth_getTransactionCount</c>, receipts, canonical blocks, the pool, logs) and the
/// ledger table directly from storage, never through the lane, and asserts invariants 1–7 plus exactly one
/// effect per business key. Call it once the lane is quiet (every command Completed).
/// </summary>
public static class LaneAudit
{
    // Topics from the event signatures' text, not from the bindings the app uses, so that a wrong binding cannot
    // hide a wrong effect.
    private static readonly Hash32 s_transferTopic = Keccak256.Hash(Encoding.ASCII.GetBytes("Transfer(address,address,uint256)"));
    private static readonly Hash32 s_executedTopic = Keccak256.Hash(Encoding.ASCII.GetBytes("Executed(bytes32)"));

    /// <summary>
    /// Invariants 1–7 for <paramref name="lane"/>; returns the ledger rows for further checks.
    /// <paramref name="maxFeePerGasCap"/> is the lane's configured cap (the default <see cref="FeePolicy"/>'s when not given).
    /// </summary>
    public static async Task<List<LedgerTransaction>> AssertLaneAsync(
        LedgerTable ledger, JsonRpcClient rpc, AnvilProcess anvil, LaneId lane, int confirmations = 1, UInt256? maxFeePerGasCap = null)
    {
        LedgerAccount account = await ledger.GetAccountAsync(lane) ?? throw new Xunit.Sdk.XunitException($"lane {lane} has no account row");
        List<LedgerTransaction> rows = await ledger.GetTransactionsAsync(lane, 0);
        Dictionary<ulong, List<LedgerAttempt>> attempts = await ledger.GetAttemptsAsync(lane, 0);
        ulong chainNonce = await rpc.GetTransactionCountAsync(lane.Sender, BlockParameter.Latest);
        ulong head = await rpc.GetBlockNumberAsync();

        // I1 no gaps: every nonce from the first the ledger used up to the chain's count has exactly one row, and
        // the ledger allocated nothing the chain has not consumed; the node's pool holds nothing of ours.
        Assert.Equal(account.NextNonce, chainNonce);
        Assert.Equal(Enumerable.Range(0, (int)(chainNonce - account.FirstNonce)).Select(i => account.FirstNonce + (ulong)i), rows.Select(r => r.Nonce));
        JsonElement pool = await anvil.RpcAsync("txpool_content");
        foreach (string section in (string[])["pending", "queued"])
        {
            if (pool.TryGetProperty(section, out JsonElement bySender))
            {
                Assert.False(bySender.EnumerateObject().Any(p => string.Equals(p.Name, lane.Sender.ToString(), StringComparison.OrdinalIgnoreCase) && p.Value.EnumerateObject().Any()),
                    $"the pool still holds {section} transactions of {lane.Sender}");
            }
        }

        // I2 no duplicates: a business key holds one nonce; every attempt belongs to an existing row, numbered 1..n.
        List<string> keys = [.. rows.Where(r => !string.IsNullOrEmpty(r.BusinessKey)).Select(r => r.BusinessKey)];
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        foreach ((ulong nonce, List<LedgerAttempt> list) in attempts)
        {
            Assert.Contains(rows, r => r.Nonce == nonce);
            Assert.Equal(Enumerable.Range(1, list.Count), list.Select(a => a.Number));
        }

        UInt256 cap = maxFeePerGasCap ?? new FeePolicy().MaxFeePerGasCap;
        foreach (LedgerTransaction row in rows)
        {
            // I5 terminal and chain-consistent: the mined hash has a receipt in the canonical chain at depth ≥ K.
            Assert.True(TransactionStates.IsTerminal(row.State), $"nonce {row.Nonce} is {row.State}");
            Assert.True(row.MinedHash is not null, $"nonce {row.Nonce} ({row.State}) has no mined hash");
            TransactionReceipt receipt = await rpc.GetTransactionReceiptAsync(row.MinedHash!.Value) ?? throw new Xunit.Sdk.XunitException($"nonce {row.Nonce}: no receipt for {row.MinedHash}");
            BlockHeader? canonical = await rpc.GetBlockByNumberAsync(BlockParameter.FromNumber(receipt.BlockNumber));
            Assert.Equal(canonical!.Hash, receipt.BlockHash);
            Assert.Equal(row.BlockHash, receipt.BlockHash);
            if (row.State == TransactionState.Confirmed)
            {
                Assert.True(receipt.Succeeded, $"nonce {row.Nonce} is Confirmed with a status-0 receipt");
                Assert.True(head + 1 >= receipt.BlockNumber + (ulong)confirmations, $"nonce {row.Nonce} Confirmed at depth < {confirmations}");
            }
            else if (row.State == TransactionState.Failed)
            {
                Assert.False(receipt.Succeeded, $"nonce {row.Nonce} is Failed with a status-1 receipt");
            }

            if (row.State != TransactionState.NonceConsumedExternally)
            {
                Assert.Equal(lane.Sender, receipt.From);
            }

            // I3 write-ahead: what was mined is a persisted attempt, or an identical twin of the intent (also when
            // the row has no attempt at all).
            List<LedgerAttempt> mine = attempts.GetValueOrDefault(row.Nonce) ?? [];
            if (row.State is TransactionState.Confirmed or TransactionState.Failed && !mine.Any(a => a.Hash == row.MinedHash))
            {
                RpcTransaction? twin = await rpc.GetTransactionByHashAsync(row.MinedHash.Value);
                Assert.True(twin is not null && twin.To == row.To && twin.Input.AsSpan().SequenceEqual(row.Data), $"nonce {row.Nonce} mined {row.MinedHash}, which is no persisted attempt");
            }

            // I6 fee ladder and I7 hygiene: hash = keccak(raw) of the bytes kept; fees within the cap; a replacement
            // is ≥ +10 % on both fields over the last earlier attempt a node accepted (a refused attempt, e.g. a
            // rejected intent before its filler, replaced nothing).
            for (int i = 0; i < mine.Count; i++)
            {
                Assert.Equal(Keccak256.Hash(mine[i].Raw), mine[i].Hash);
                Assert.True(mine[i].Fees.MaxFeePerGas <= cap, $"nonce {row.Nonce} attempt {i + 1} pays {mine[i].Fees.MaxFeePerGas} over the cap {cap}");
                LedgerAttempt? accepted = mine.Take(i).LastOrDefault(a => a.FirstSent is not null);
                if (accepted is not null)
                {
                    FeePair old = accepted.Fees, next = mine[i].Fees;
                    Assert.True(next.MaxFeePerGas >= FeeLadder.MinimumReplacement(old.MaxFeePerGas) && next.MaxPriorityFeePerGas >= FeeLadder.MinimumReplacement(old.MaxPriorityFeePerGas),
                        $"nonce {row.Nonce} attempt {i + 1} ({next}) is not ≥ +10 % over {old}");
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Exactly-once effect of transfers: the token emitted exactly one <c>Transfer</c> from <paramref name="issuer"/>
    /// to each expected recipient with the expected amount, and none to anyone else.
    /// </summary>
    public static async Task AssertTransfersAsync(JsonRpcClient rpc, Address token, Address issuer, IReadOnlyDictionary<Address, UInt256> expected)
    {
        IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter
        {
            Addresses = [token],
            FromBlock = BlockParameter.FromNumber(0),
            ToBlock = BlockParameter.Latest,
            Topics = [[s_transferTopic], [Topic(issuer)]],
        });
        var received = new Dictionary<Address, List<UInt256>>();
        foreach (LogEntry log in logs)
        {
            Address to = Address.FromBytes(log.Topics[2].ToArray().AsSpan(12));
            if (!received.TryGetValue(to, out List<UInt256>? amounts))
            {
                received[to] = amounts = [];
            }

            amounts.Add(UInt256.FromBigEndian(log.Data));
        }

        List<string> duplicates = [.. received.Where(p => p.Value.Count > 1).Select(p => $"{p.Key} ×{p.Value.Count}")];
        Assert.True(duplicates.Count == 0, $"duplicate transfers: {string.Join(", ", duplicates.Take(10))}");
        List<Address> unexpected = [.. received.Keys.Where(a => !expected.ContainsKey(a))];
        Assert.True(unexpected.Count == 0, $"transfers nobody asked for: {string.Join(", ", unexpected.Take(10))}");
        List<Address> missing = [.. expected.Keys.Where(a => !received.ContainsKey(a))];
        Assert.True(missing.Count == 0, $"{missing.Count} of {expected.Count} transfers missing, e.g. {string.Join(", ", missing.Take(5))}");
        foreach ((Address to, UInt256 amount) in expected)
        {
            Assert.Equal(amount, received[to][0]);
        }

        Assert.Equal(expected.Count, logs.Count);
    }

    /// <summary>
    /// Exactly-once effect at an <c>EffectOracle</c> (contracts/src/test): one <c>Executed(id)</c> per expected id,
    /// none twice, none other.
    /// </summary>
    public static async Task AssertExecutedOnceAsync(JsonRpcClient rpc, Address oracle, IEnumerable<Hash32> expectedIds)
    {
        IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { Addresses = [oracle], FromBlock = BlockParameter.FromNumber(0), ToBlock = BlockParameter.Latest });
        List<Hash32> executed = [.. logs.Where(l => l.Topics.Count == 2 && l.Topics[0] == s_executedTopic).Select(l => l.Topics[1])];
        Assert.Equal(executed.Count, executed.Distinct().Count());
        Assert.Equal(expectedIds.OrderBy(h => h.ToString()), executed.OrderBy(h => h.ToString()));
    }

    private static Hash32 Topic(Address address)
    {
        var bytes = new byte[32];
        address.ToArray().CopyTo(bytes, 12);
        return Hash32.FromBytes(bytes);
    }
}
