using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// Checks design/pipeline.md invariants 1–7 independently of the lane: it reads the chain (transaction count,
/// receipts, logs, the pool) and the ledger table, and asserts. Run it after a scenario has gone quiet.
/// </summary>
internal static class InvariantChecker
{
    public static async Task AssertAsync(PipelineRig rig, Address? oracle = null, IReadOnlyCollection<string>? expectedIds = null)
    {
        LaneId lane = rig.Lane;
        LedgerAccount account = await rig.Ledger.GetAccountAsync(lane) ?? throw new Xunit.Sdk.XunitException("no account row");
        List<LedgerTransaction> rows = await rig.Ledger.GetTransactionsAsync(lane, 0);
        Dictionary<ulong, List<LedgerAttempt>> attempts = await rig.Ledger.GetAttemptsAsync(lane, 0);
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(lane.Sender, BlockParameter.Latest);
        ulong head = await rig.Rpc.GetBlockNumberAsync();

        // I1 no gaps: every nonce from the first we used to the chain's nonce has exactly one ledger row, and
        // the ledger allocated nothing the chain has not consumed (quiescent lane).
        Assert.Equal(account.NextNonce, chainNonce);
        Assert.Equal(Enumerable.Range(0, (int)(chainNonce - account.FirstNonce)).Select(i => account.FirstNonce + (ulong)i), rows.Select(r => r.Nonce));
        JsonElement pool = await rig.Anvil.RpcAsync("txpool_content");
        foreach (string section in new[] { "pending", "queued" })
        {
            if (pool.TryGetProperty(section, out JsonElement bySender))
            {
                Assert.False(bySender.EnumerateObject().Any(p => string.Equals(p.Name, lane.Sender.ToString(), StringComparison.OrdinalIgnoreCase) && p.Value.EnumerateObject().Any()),
                    $"txpool still holds {section} transactions of {lane.Sender}");
            }
        }

        // I2 no duplicates: a business key maps to one nonce; every attempt of a nonce belongs to that row.
        List<string> keys = [.. rows.Where(r => !string.IsNullOrEmpty(r.BusinessKey)).Select(r => r.BusinessKey)];
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        foreach ((ulong nonce, List<LedgerAttempt> list) in attempts)
        {
            Assert.Contains(rows, r => r.Nonce == nonce);
            Assert.Equal(Enumerable.Range(1, list.Count), list.Select(a => a.Number));
        }

        foreach (LedgerTransaction row in rows)
        {
            // I5 terminal and chain-consistent.
            Assert.True(TransactionStates.IsTerminal(row.State), $"nonce {row.Nonce} is {row.State}");
            Assert.NotNull(row.MinedHash);
            TransactionReceipt? receipt = await rig.Rpc.GetTransactionReceiptAsync(row.MinedHash!.Value);
            Assert.NotNull(receipt);
            BlockHeader? canonical = await rig.Rpc.GetBlockByNumberAsync(BlockParameter.FromNumber(receipt!.BlockNumber));
            Assert.Equal(canonical!.Hash, receipt.BlockHash);
            Assert.Equal(row.BlockHash, receipt.BlockHash);
            if (row.State == TransactionState.Confirmed)
            {
                Assert.True(receipt.Succeeded, $"nonce {row.Nonce} Confirmed with a status-0 receipt");
                Assert.True(head + 1 >= receipt.BlockNumber + (ulong)rig.Options.Confirmations);
            }
            else if (row.State == TransactionState.Failed)
            {
                Assert.False(receipt.Succeeded);
            }

            List<LedgerAttempt> mine = attempts.GetValueOrDefault(row.Nonce) ?? [];
            if (row.State != TransactionState.NonceConsumedExternally)
            {
                Assert.Equal(lane.Sender, receipt.From);
            }

            // I3 write-ahead: the mined hash is one of the persisted attempts (or an adopted twin of the intent).
            if (row.State is TransactionState.Confirmed or TransactionState.Failed && mine.Count > 0 && !mine.Any(a => a.Hash == row.MinedHash))
            {
                RpcTransaction? twin = await rig.Rpc.GetTransactionByHashAsync(row.MinedHash.Value);
                Assert.True(twin is not null && twin.To == row.To && twin.Input.AsSpan().SequenceEqual(row.Data), $"nonce {row.Nonce} mined {row.MinedHash} which is not a persisted attempt");
            }

            // I6 fee ladder and I7 hygiene (hash = keccak(raw); the mined one's sender is the lane).
            for (int i = 0; i < mine.Count; i++)
            {
                Assert.Equal(Keccak256.Hash(mine[i].Raw), mine[i].Hash);
                Assert.True(mine[i].Fees.MaxFeePerGas <= rig.Options.Fees.MaxFeePerGasCap);
                // Replacement rule: against the highest earlier attempt a node accepted (a refused attempt, e.g.
                // a rejected intent before its filler, replaced nothing).
                LedgerAttempt? accepted = mine.Take(i).LastOrDefault(a => a.FirstSent is not null);
                if (accepted is not null)
                {
                    FeePair old = accepted.Fees, next = mine[i].Fees;
                    Assert.True(next.MaxFeePerGas >= FeeLadder.MinimumReplacement(old.MaxFeePerGas) && next.MaxPriorityFeePerGas >= FeeLadder.MinimumReplacement(old.MaxPriorityFeePerGas),
                        $"nonce {row.Nonce} attempt {i + 1} ({next}) is not ≥ +10 % over {old}");
                }
            }
        }

        // Exactly-once effect: one Executed event per expected id, none other.
        if (oracle is Address target && expectedIds is not null)
        {
            IReadOnlyList<LogEntry> logs = await rig.Rpc.GetLogsAsync(new LogFilter { Addresses = [target], FromBlock = BlockParameter.FromNumber(0), ToBlock = BlockParameter.Latest });
            List<Hash32> executed = [.. logs.Where(l => l.Topics.Count == 2 && l.Topics[0] == PipelineRig.ExecutedTopic).Select(l => l.Topics[1])];
            Assert.Equal(executed.Count, executed.Distinct().Count());
            Assert.Equal(expectedIds.Select(id => Hash32.FromBytes(PipelineRig.IdBytes(id))).OrderBy(h => h.ToString()), executed.OrderBy(h => h.ToString()));
        }
    }
}
