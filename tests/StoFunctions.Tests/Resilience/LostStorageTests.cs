using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Tests.EndToEnd;
using Xunit.Abstractions;

namespace StoFunctions.Tests.Resilience;

/// <summary>
/// Invariant 0 (issue 14 item 1): the chain is the final authority. Storage that loses acknowledged writes, a
/// restored backup or a deleted table must not make a client retry pay anyone twice. The checks read the chain
/// only (Transfer logs and balanceOf), independently of the ledger.
/// </summary>
public sealed class LostStorageTests(PlatformApp app, ITestOutputHelper output) : IClassFixture<PlatformApp>
{
    // Every table the app writes (the ledger, commands, idempotency rows live in the ledger, tokens, scanner).
    private static readonly string[] s_tables = ["ledger", "commands", "tokens", "identities", "scancursors", "scanevents", "scanhistory", "scanholders", "scanwatch", "scanjobs"];

    private static readonly Hash32 s_transferTopic = Keccak256.Hash(Encoding.ASCII.GetBytes("Transfer(address,address,uint256)"));

    [Fact]
    public async Task EveryEntityOfEveryTableDeletedAfterA1000RowDistribution_TheRetryWithTheSameKey_PaysNobodyTwiceAndCompletes()
    {
        Address token = await app.IssueAsync("100000000", decimals: 0);
        (string Id, Address To, ulong Amount)[] rows = Rows("lost", 1000);
        object body = new { rows = rows.Select(r => new { externalId = r.Id, address = r.To.ToString(), amount = r.Amount.ToString(CultureInfo.InvariantCulture) }).ToArray() };
        string key = "lost-storage-" + token;
        JsonElement first = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", body, key), 600);
        ulong nonceAfterFirst = await app.IssuerNonceAsync();

        int deleted = await DeleteEveryEntityAsync();
        output.WriteLine($"deleted {deleted} entities");

        var watch = Stopwatch.StartNew();
        string retryId = await app.SubmitAsync($"/api/tokens/{token}/distributions", body, key);
        JsonElement retried = await app.WaitCompletedAsync(retryId, 600);
        output.WriteLine($"retry completed in {watch.Elapsed.TotalSeconds:F1} s");
        await WaitPlannedAsync(retryId, 600);

        Assert.Equal(nonceAfterFirst, await app.IssuerNonceAsync());
        await AssertPaidOnceAsync(token, rows);
        Assert.Equal(Hashes(first), Hashes(retried));
        await AssertNoDriftAsync();
    }

    [Fact]
    public async Task ABackupRestoredFromBeforeTheSecondDistribution_TheRetryOfTheSecond_PaysNobodyTwiceAndCompletes()
    {
        Address token = await app.IssueAsync("100000000", decimals: 0);
        (string Id, Address To, ulong Amount)[] firstRows = Rows("backup-a", 150);
        (string Id, Address To, ulong Amount)[] secondRows = Rows("backup-b", 150);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", Body(firstRows), "backup-a-" + token), 300);
        List<(string Table, TableEntity Entity)> backup = await SnapshotAsync();

        object second = Body(secondRows);
        string key = "backup-b-" + token;
        JsonElement original = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", second, key), 300);
        ulong nonceAfterSecond = await app.IssuerNonceAsync();

        await DeleteEveryEntityAsync();
        foreach ((string table, TableEntity entity) in backup)
        {
            // Upsert: the running lane may have rewritten its cursor row since the delete; the backup wins.
            entity.ETag = default;
            await app.Table(table).UpsertEntityAsync(entity, TableUpdateMode.Replace);
        }

        string retryId = await app.SubmitAsync($"/api/tokens/{token}/distributions", second, key);
        JsonElement retried = await app.WaitCompletedAsync(retryId, 300);
        await WaitPlannedAsync(retryId, 300);

        Assert.Equal(nonceAfterSecond, await app.IssuerNonceAsync());
        await AssertPaidOnceAsync(token, [.. firstRows, .. secondRows]);
        Assert.Equal(Hashes(original), Hashes(retried));
        await AssertNoDriftAsync();
    }

    [Fact]
    public async Task LedgerRowsInTheMiddleOfACompletedCommandLost_TheOrchestrationsProgressRead_RebuildsThemFromTheChain_AndEndsWithEveryHash()
    {
        // The command orchestration ends with the output of its first terminal read and answers GET from it for
        // good. A read while rows were being lost (a table emptied entity by entity, ledger rows before command rows)
        // saw only the rows left, all Confirmed, and ended the instance with a partial output: a later retry with the
        // same key was answered with part of the hashes. Rows lost in the middle of a lane (the account row and the
        // last nonce's row intact) are invisible to the reconciler's own checks; the status read finds them missing.
        Address token = await app.IssueAsync("100000", decimals: 0);
        (string Id, Address To, ulong Amount)[] rows = Rows("partial", 10);
        string id = await app.SubmitAsync($"/api/tokens/{token}/distributions", Body(rows), "partial-" + token);
        string[] sent = Hashes(await app.WaitCompletedAsync(id, 120));

        TableClient ledger = app.Table("ledger");
        List<TableEntity> own = [];
        await foreach (TableEntity e in ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CommandId eq {id} and RowKey ge {"tx-"} and RowKey lt {"tx."}")))
        {
            own.Add(e);
        }

        Assert.Equal(rows.Length, own.Count);
        foreach (TableEntity e in own.OrderBy(e => e.RowKey, StringComparer.Ordinal).Skip(3).Take(4))
        {
            await ledger.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All);
        }

        CommandPoll poll = await new CommandProgressActivity(app.Platform).RunAsync(new CommandProgressQuery(id, Ended: null), CancellationToken.None);

        Assert.True(poll.Found);
        Assert.True(poll.Terminal);
        Assert.Equal(new CommandProgress(rows.Length, 0, 0, 0, 0, rows.Length, 0), poll.Progress);
        Assert.Equal(sent, poll.Output!.Transactions.Select(t => t.Hash!).Order(StringComparer.Ordinal).ToArray());
        Assert.All(poll.Output.Transactions, t => Assert.Equal("Confirmed", t.Status));
    }

    private static object Body((string Id, Address To, ulong Amount)[] rows) =>
        new { rows = rows.Select(r => new { externalId = r.Id, address = r.To.ToString(), amount = r.Amount.ToString(CultureInfo.InvariantCulture) }).ToArray() };

    private static (string Id, Address To, ulong Amount)[] Rows(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (
            $"{prefix}-{i}",
            Address.FromBytes(Keccak256.Hash(Encoding.UTF8.GetBytes($"lost-storage-holder-{prefix}-{i}")).ToArray().AsSpan(12)),
            (ulong)((i % 7) + 1)))];

    private static string[] Hashes(JsonElement status) =>
        [.. status.GetProperty("output").GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("hash").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>From the chain alone: each holder got exactly one Transfer from the issuer, of its row's amount, and holds exactly that.</summary>
    private async Task AssertPaidOnceAsync(Address token, (string Id, Address To, ulong Amount)[] rows)
    {
        IReadOnlyList<LogEntry> logs = await app.Rpc.GetLogsAsync(new LogFilter
        {
            FromBlock = BlockParameter.FromNumber(0),
            ToBlock = BlockParameter.Latest,
            Addresses = [token],
            Topics = [[s_transferTopic]],
        });
        var received = logs.Where(l => l.Topics[1] == Topic(app.Issuer))
            .GroupBy(l => Address.FromBytes(l.Topics[2].ToArray().AsSpan(12)))
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(rows.Length, received.Count);
        Assert.All(rows, r => Assert.Equal(1, received.GetValueOrDefault(r.To)));

        foreach ((string Id, Address To, ulong Amount)[] chunk in rows.Chunk(200))
        {
            JsonRpcBatch batch = app.Rpc.CreateBatch();
            Task<byte[]?>[] calls = [.. chunk.Select(r => batch.Add<byte[]>("eth_call", new CallRequest { To = token, Data = Contracts.SecurityTokenContract.BalanceOf(r.To) }, BlockParameter.Latest))];
            await batch.SendAsync();
            for (int i = 0; i < chunk.Length; i++)
            {
                Assert.Equal((UInt256)chunk[i].Amount, Contracts.SecurityTokenContract.DecodeBalanceOf((await calls[i])!));
            }
        }
    }

    /// <summary>
    /// Waits until the retry's planning has ended (its command row marked planned), read from the table rather than
    /// through GET: the command's orchestration instance survives the lost tables, and GET answered Completed from it
    /// while the retry was still allocating (now it waits for the planned row, <c>FinishedInstanceAnswerTests</c>).
    /// Only once planning has ended does a clean ledger prove that no nonce was allocated for a key paid before.
    /// </summary>
    private async Task WaitPlannedAsync(string id, int timeoutSeconds)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while ((await app.Table("commands").GetEntityIfExistsAsync<TableEntity>(id, "command")).Value?.GetBoolean("Planned") != true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the retry {id} was not planned in {timeoutSeconds} s");
            await Task.Delay(100);
        }
    }

    private async Task AssertNoDriftAsync()
    {
        string diagnose = await app.Client.GetStringAsync("/api/diagnose");
        using JsonDocument document = JsonDocument.Parse(diagnose);
        Assert.True(document.RootElement.GetProperty("nonceDrift").GetInt64() == 0, $"the ledger allocated nonces the chain has not seen: {diagnose}");
    }

    private static Hash32 Topic(Address address)
    {
        var word = new byte[32];
        address.ToArray().CopyTo(word.AsSpan(12));
        return Hash32.FromBytes(word);
    }

    private async Task<List<(string Table, TableEntity Entity)>> SnapshotAsync()
    {
        var all = new List<(string, TableEntity)>();
        foreach (string table in s_tables)
        {
            try
            {
                await foreach (TableEntity e in app.Table(table).QueryAsync<TableEntity>())
                {
                    all.Add((table, e));
                }
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
            {
            }
        }

        return all;
    }

    private async Task<int> DeleteEveryEntityAsync()
    {
        List<(string Table, TableEntity Entity)> all = await SnapshotAsync();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, ct) =>
        {
            try
            {
                await app.Table(item.Table).DeleteEntityAsync(item.Entity.PartitionKey, item.Entity.RowKey, ETag.All, ct);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
            {
            }
        });
        return all.Count;
    }
}
