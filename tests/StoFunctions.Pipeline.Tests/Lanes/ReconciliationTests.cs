using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Lanes;
using Microsoft.Extensions.Logging.Abstractions;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>Invariant 0 at the pipeline level: after a lost ledger the chain rebuilds it and a retry sends nothing.</summary>
public sealed class ReconciliationTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task LedgerAndCommandsWiped_RetryWithTheSameKey_AdoptsTheRebuiltRows_SendsNothing_Completed()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 60).Select(i => $"wipe-{i}")];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "wipe"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        CommandStatus before = await rig.StatusAsync(id);
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);

        await WipeAsync(rig.Ledger.Table);
        await WipeAsync(rig.Commands);
        Assert.Equal(id, await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "wipe")));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        CommandStatus after = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, after.RuntimeStatus);
        Assert.Equal(chainNonce, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest));
        Assert.Equal(before.Output!.Transactions.Select(t => (t.Nonce, t.Hash)), after.Output!.Transactions.Select(t => (t.Nonce, t.Hash)));
        List<LedgerTransaction> rows = await rig.Ledger.GetTransactionsAsync(rig.Lane, 0);
        Assert.All(rows, r => Assert.True(r.RecoveredFromChain));
        Assert.Equal(chainNonce, (await rig.Ledger.GetAccountAsync(rig.Lane))!.NextNonce);
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task EveryRowLostButTheAccountRow_ARepostWithANewKey_AdoptsTheRowsRebuiltFromTheChain_SendsNothing()
    {
        // The reproduction deletes every entity while the app runs; a reconciliation in the middle of that
        // rebuilt the account row, the rest was deleted after it, and the chain nonce then equalled the ledger's:
        // the retry planned every row again (2,003 transfers for 1,000 rows under load).
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 30).Select(i => $"kept-account-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "kept-account-first"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);
        Assert.Equal(chainNonce, (await rig.Ledger.GetAccountAsync(rig.Lane))!.NextNonce);

        await WipeAsync(rig.Ledger.Table, keep: e => e.RowKey == LedgerRows.AccountRow);
        await WipeAsync(rig.Commands);
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "kept-account-second"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        Assert.Equal(chainNonce, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task RowsLostWhileAReconciliationRuns_ACallerArrivingThen_GetsARunThatSeesTheLoss_EveryNonceAndKeyRebuilt()
    {
        // LostStorageTests under load: the sweep's reconciliation started while the table was being emptied, read the
        // rows still there, and was rebuilding the others when the retry arrived and joined it; the rows it had seen
        // were deleted meanwhile, so the retry planned their keys again (1,472 transactions for 1,003 nonces).
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 40).Select(i => $"mid-run-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "mid-run"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);
        string kept = LedgerRows.TransactionRow(chainNonce / 2);

        // The first half of the table is gone: a run starts, reads the second half and holds at its chain scan.
        await WipeAsync(rig.Ledger.Table, keep: e => string.CompareOrdinal(e.RowKey, kept) >= 0 && e.RowKey.StartsWith("tx-", StringComparison.Ordinal));
        using var gate = new BlockScanGate();
        using var rpc = new JsonRpcClient(new HttpClient(gate) { Timeout = Timeout.InfiniteTimeSpan }, fixture.Anvil.RpcUrl);
        var reconciler = new LedgerReconciler(rig.Ledger, rpc, NullLogger.Instance, rig.Options);
        Task<ulong> running = reconciler.EnsureReconciledAsync(rig.Lane);
        await gate.Reached.WaitAsync(s_timeout);

        // The rest is deleted before the next caller asks.
        await WipeAsync(rig.Ledger.Table);
        Task<ulong> caller = reconciler.EnsureReconciledAsync(rig.Lane);
        gate.Release();
        await running.WaitAsync(s_timeout);
        await caller.WaitAsync(s_timeout);

        List<LedgerTransaction> rows = await rig.Ledger.GetTransactionsAsync(rig.Lane, 0);
        Assert.Equal(Enumerable.Range(0, (int)chainNonce).Select(n => (ulong)n), rows.Select(r => r.Nonce));
        string[] keysWithoutRow = [.. await Task.WhenAll(ids.Select(async id => await rig.Ledger.TryGetBusinessKeyAsync(rig.Lane, "oracle/" + id) is null ? id : ""))];
        Assert.All(keysWithoutRow, Assert.Empty);
    }

    [Fact]
    public async Task RowsInTheMiddleLostWithTheLanesCursor_TheLaneRebuildsThemFromTheChain_NotWithFillers_SoARepostSendsNothing()
    {
        // LostStorageTests under load: while the table was being emptied, a reconciliation rebuilt the first 255 rows
        // and the account row; the lane, its cursor gone, reloaded from the first nonce and met 374 nonces whose rows
        // had been deleted since, below rows not deleted yet. It filled them with no-ops, which the chain had already
        // consumed, so their business keys stayed unrecorded and the retry allocated all 374 again above the chain's
        // nonce (nonceDrift +374), ready to pay those holders twice.
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 30).Select(i => $"middle-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "middle-first"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);
        LedgerTransaction[] middle = [.. (await rig.Ledger.GetTransactionsAsync(rig.Lane, 0)).Where(r => r.BusinessKey.Length > 0).Skip(10).Take(10)];
        Assert.Equal(10, middle.Length);

        await rig.LoseRowsAsync(middle);
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        List<LedgerTransaction> rows = await rig.Ledger.GetTransactionsAsync(rig.Lane, 0);
        Assert.DoesNotContain(rows, r => r.IsFiller);
        Assert.Equal(middle.Select(r => (r.Nonce, r.MinedHash, TransactionState.Confirmed, true)),
            rows.Where(r => middle.Any(m => m.Nonce == r.Nonce)).Select(r => (r.Nonce, r.MinedHash, r.State, r.RecoveredFromChain)));
        foreach (LedgerTransaction r in middle)
        {
            Assert.Equal((long)r.Nonce, (await rig.Ledger.TryGetBusinessKeyAsync(rig.Lane, r.BusinessKey))?.GetInt64("Nonce"));
        }

        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "middle-second"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        Assert.Equal(chainNonce, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest));
        Assert.Equal(chainNonce, (await rig.Ledger.GetAccountAsync(rig.Lane))!.NextNonce);
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task AFillerAtANonceTakenByOurOwnLostTransaction_BecomesThatTransactionsRow_AndItsKeyIsRecorded_SoARepostSendsNothing()
    {
        // Defence behind the test above: a row that gets a nonce the chain already used for a tagged transaction of ours
        // (a filler written there before that fix, or any row a lost ledger allocated again) must not leave the
        // transaction's business key unrecorded when the lane finds the nonce taken.
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 6).Select(i => $"own-lost-{i}")];
        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "own-lost-first"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);
        LedgerTransaction lost = (await rig.Ledger.GetTransactionsAsync(rig.Lane, 0)).Where(r => r.BusinessKey.Length > 0).ElementAt(3);

        await rig.LoseRowsAsync([lost]);
        var filler = new LedgerTransaction
        {
            Nonce = lost.Nonce,
            State = TransactionState.Planned,
            To = rig.Lane.Sender,
            Data = BusinessKeyTag.Filler(),
            GasLimit = BusinessKeyTag.FillerGasLimit,
            IsFiller = true,
        };
        await rig.Ledger.Table.AddEntityAsync(LedgerRows.ToEntity(rig.Lane, filler));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        LedgerTransaction row = (await rig.Ledger.GetTransactionsAsync(rig.Lane, lost.Nonce, lost.Nonce)).Single();
        Assert.Equal((false, true, TransactionState.Confirmed, lost.MinedHash, lost.To, Hex.Encode(lost.Data)),
            (row.IsFiller, row.RecoveredFromChain, row.State, row.MinedHash, row.To, Hex.Encode(row.Data)));
        Assert.Equal((long)lost.Nonce, (await rig.Ledger.TryGetBusinessKeyAsync(rig.Lane, lost.BusinessKey))?.GetInt64("Nonce"));

        await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "own-lost-second"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        Assert.Equal(chainNonce, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task IdempotencyRowsUnderThePreTagRowKey_AreStillFound_SoARepostSendsNothing()
    {
        // A ledger written before business-key tags keyed idempotency rows by the full SHA-256 of the key; after the
        // upgrade the same file posted again must adopt those nonces, not pay twice.
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 12).Select(i => $"legacy-{i}")];
        string first = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "legacy-first"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest);
        foreach (string id in ids)
        {
            string key = "oracle/" + id;
            TableEntity row = (await rig.Ledger.Table.GetEntityAsync<TableEntity>(rig.Lane.PartitionKey, CommandKeys.BusinessKeyRow(key))).Value;
            var legacy = new TableEntity(rig.Lane.PartitionKey, CommandKeys.LegacyBusinessKeyRow(key));
            foreach (KeyValuePair<string, object> property in row.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
            {
                legacy[property.Key] = property.Value;
            }

            await rig.Ledger.Table.AddEntityAsync(legacy);
            await rig.Ledger.Table.DeleteEntityAsync(rig.Lane.PartitionKey, row.RowKey, ETag.All);
        }

        string second = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "legacy-second"));
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        Assert.NotEqual(first, second);
        Assert.Equal(chainNonce, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Latest));
        Assert.Equal(
            (await rig.StatusAsync(first)).Output!.Transactions.Select(t => (t.Nonce, t.Hash)),
            (await rig.StatusAsync(second)).Output!.Transactions.Select(t => (t.Nonce, t.Hash)));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    private static async Task WipeAsync(TableClient table, Func<TableEntity, bool>? keep = null)
    {
        var all = new List<TableEntity>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>())
        {
            if (keep?.Invoke(e) != true)
            {
                all.Add(e);
            }
        }

        foreach (TableEntity e in all)
        {
            await table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All);
        }
    }
}
