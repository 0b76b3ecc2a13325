using System.Collections.Concurrent;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Ledger;

/// <summary>
/// How <see cref="NonceAllocator"/> finds the business keys that already hold nonces before it allocates: one range
/// query over the lane's idempotency rows where the lane holds few rows for the keys asked about, point reads
/// where it holds many more; both adopt current and pre-tag rows alike. And one nonce's transaction row is read by
/// its key, not by a range query. The requests are counted on the wire.
/// </summary>
public sealed class BusinessKeyReadTests
{
    private static readonly Address s_to = Address.Parse("0x000000000000000000000000000000000000bEEF");
    private static readonly LaneId s_lane = new(31337, Address.Parse(AnvilAccounts.Addresses[7]));

    private static TransactionIntent Intent(string key) => new() { To = s_to, Data = [0x01], GasLimit = 50_000, BusinessKey = key, Content = key + " 1" };

    private static async Task<(LedgerTable Ledger, RequestLog Requests)> NewLedgerAsync()
    {
        var requests = new RequestLog();
        StorageAccount account = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync(), new StorageTransport { Transport = new HttpClientTransport(new HttpClient(requests)) });
        var ledger = new LedgerTable(account.Tables.GetTableClient("keys" + Guid.NewGuid().ToString("N")[..16]));
        await ledger.CreateIfNotExistsAsync();
        return (ledger, requests);
    }

    [Fact]
    public async Task A_new_300_row_command_on_a_new_lane_reads_its_keys_with_one_query_instead_of_two_point_reads_per_key()
    {
        (LedgerTable ledger, RequestLog requests) = await NewLedgerAsync();
        TransactionIntent[] intents = [.. Enumerable.Range(0, 300).Select(i => Intent($"t/{i}"))];
        requests.Clear();

        ulong[] nonces = await new NonceAllocator(ledger).AllocateAsync(s_lane, "cmd-1", intents, chainPendingCount: 0);

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (ulong)i), nonces);
        Assert.Equal(0, requests.KeyPointReads);
        // The account row, the key query, seven entity-group transactions of up to 49 intents.
        Assert.True(requests.Count <= 12, $"{requests.Count} requests:\n{string.Join('\n', requests.Lines.Take(20))}");
    }

    [Fact]
    public async Task A_key_read_that_misses_answers_null_without_throwing_and_one_that_hits_answers_the_row()
    {
        (LedgerTable ledger, RequestLog requests) = await NewLedgerAsync();
        await new NonceAllocator(ledger).AllocateAsync(s_lane, "cmd-1", [Intent("t/held")], chainPendingCount: 0);
        Assert.False(await ledger.LegacyKeyRowsPossibleAsync(s_lane)); // so a miss is one read, not two
        requests.Clear();
        using var thrown = new ThrownInThisFlow();

        // A single transfer's planning reads its key, and a new key (the common case) is absent: that answer is not
        // an error, and a 404 thrown by the SDK was caught and rethrown at every await up to the ledger.
        TableEntity? absent = await ledger.TryGetBusinessKeyAsync(s_lane, "t/new");
        TableEntity? held = await ledger.TryGetBusinessKeyAsync(s_lane, "t/held");

        Assert.Null(absent);
        Assert.Equal(0L, held!.GetInt64("Nonce"));
        Assert.Equal(2, requests.KeyPointReads);
        Assert.Empty(thrown.Exceptions);
    }

    [Fact]
    public async Task Keys_holding_nonces_are_adopted_both_by_the_query_and_by_point_reads_including_pre_tag_rows()
    {
        (LedgerTable ledger, RequestLog requests) = await NewLedgerAsync();
        var allocator = new NonceAllocator(ledger);
        await allocator.AllocateAsync(s_lane, "cmd-1", [.. Enumerable.Range(0, 300).Select(i => Intent($"t/{i}"))], chainPendingCount: 0);
        // A row as ledgers wrote it before business-key tags: keyed by the key's full SHA-256.
        await ledger.Table.AddEntityAsync(new TableEntity(s_lane.PartitionKey, CommandKeys.LegacyBusinessKeyRow("legacy/1")) { ["Nonce"] = 7L, ["CommandId"] = "old" });
        // The process that meets this ledger after the upgrade finds that its lane holds pre-tag rows.
        var upgraded = new LedgerTable(ledger.Table);
        Assert.True(await upgraded.LegacyKeyRowsPossibleAsync(s_lane));
        allocator = new NonceAllocator(upgraded);

        // Three keys against 300 rows: point reads.
        requests.Clear();
        ulong[] few = await allocator.AllocateAsync(s_lane, "cmd-2", [Intent("t/5"), Intent("legacy/1"), Intent("t/new")], chainPendingCount: 0);
        int fewPointReads = requests.KeyPointReads;

        // 302 keys against 301 rows: the query.
        requests.Clear();
        ulong[] many = await allocator.AllocateAsync(s_lane, "cmd-3", [.. Enumerable.Range(0, 300).Select(i => Intent($"t/{i}")), Intent("legacy/1"), Intent("t/new2")], chainPendingCount: 0);

        Assert.Equal([5UL, 7UL, 300UL], few);
        // t/5 found at its row key; legacy/1 and t/new also under the pre-tag key, which this lane may hold.
        Assert.Equal(5, fewPointReads);
        Assert.Equal([.. Enumerable.Range(0, 300).Select(i => (ulong)i), 7UL, 301UL], many);
        Assert.Equal(0, requests.KeyPointReads);
        Assert.Equal(302UL, (await ledger.GetAccountAsync(s_lane))!.NextNonce);
    }

    [Fact]
    public async Task Resolving_the_keys_of_a_new_300_row_file_on_a_new_lane_reads_the_account_row_and_one_query_and_no_key_row()
    {
        (LedgerTable ledger, RequestLog requests) = await NewLedgerAsync();
        await new NonceAllocator(ledger).AllocateAsync(s_lane, "cmd-0", [Intent("other/1")], chainPendingCount: 0);
        requests.Clear();

        RetryKey[] keys = await RetryKey.ResolveManyAsync(ledger, s_lane, [.. Enumerable.Range(0, 300).Select(i => $"t/{i}")], retryFailed: false, CancellationToken.None);

        Assert.All(keys, k => Assert.False(k.Exists));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"t/{i}"), keys.Select(k => k.BusinessKey));
        Assert.Equal(0, requests.KeyPointReads);
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task Resolving_keys_in_bulk_finds_each_keys_latest_attempt_and_its_nonce()
    {
        (LedgerTable ledger, RequestLog requests) = await NewLedgerAsync();
        var allocator = new NonceAllocator(ledger);
        await allocator.AllocateAsync(s_lane, "cmd-1", [.. Enumerable.Range(0, 300).Select(i => Intent($"t/{i}"))], chainPendingCount: 0);
        await allocator.AllocateAsync(s_lane, "cmd-2", [Intent(RetryKey.For("t/5", 1)), Intent(RetryKey.For("t/5", 2))], chainPendingCount: 0);
        Assert.False(await ledger.LegacyKeyRowsPossibleAsync(s_lane));
        requests.Clear();

        RetryKey[] keys = await RetryKey.ResolveManyAsync(ledger, s_lane, [.. Enumerable.Range(0, 300).Select(i => $"t/{i}"), "t/new"], retryFailed: false, CancellationToken.None);

        Assert.Equal(new RetryKey("t/4", 0, null, 4), keys[4]);
        Assert.Equal(new RetryKey(RetryKey.For("t/5", 2), 2, null, 301), keys[5]);
        Assert.Equal(new RetryKey("t/299", 0, null, 299), keys[299]);
        Assert.Equal(new RetryKey("t/new", 0, null, null), keys[300]);
        // Attempt 0 of 301 keys and attempt 1 of the 300 found: the account row and one query each (302 rows). Attempt 2
        // of t/5 alone: one point read, which finds it; attempt 3: one, which finds nothing (a lane without pre-tag rows
        // is not asked for the old key).
        Assert.Equal(6, requests.Count);
    }

    [Fact]
    public async Task Resolving_two_keys_is_point_reads_without_reading_the_account_row()
    {
        (LedgerTable ledger, RequestLog requests) = await NewLedgerAsync();
        await new NonceAllocator(ledger).AllocateAsync(s_lane, "cmd-1", [Intent("t/1")], chainPendingCount: 0);
        await ledger.LegacyKeyRowsPossibleAsync(s_lane);
        requests.Clear();

        RetryKey[] keys = await RetryKey.ResolveManyAsync(ledger, s_lane, ["t/1", "t/2"], retryFailed: false, CancellationToken.None);

        Assert.Equal([true, false], keys.Select(k => k.Exists));
        Assert.DoesNotContain(requests.Lines, l => l.Contains("RowKey='account'", StringComparison.Ordinal));
        Assert.Equal(requests.Count, requests.KeyPointReads);
    }

    [Fact]
    public async Task Keys_the_planner_found_absent_are_not_read_again_and_a_key_taken_since_is_still_adopted_or_refused()
    {
        (LedgerTable ledger, RequestLog requests, NonceAllocator allocator) = await LaneOf300KeysAsync();

        // Three one-transfer commands planned against absent keys; two of those keys were taken after planning
        // (by cmd-1 above): one with the same content, one with other content.
        CommandAllocation[] allocations = await allocator.AllocateManyAsync(s_lane,
        [
            ("cmd-new", [Intent("t/new") with { KeyAbsentWhenPlanned = true }]),
            ("cmd-same", [Intent("t/5") with { KeyAbsentWhenPlanned = true }]),
            ("cmd-other", [Intent("t/6") with { KeyAbsentWhenPlanned = true, Content = "t/6 2" }]),
        ], chainPendingCount: 0);

        Assert.Equal([300UL], allocations[0].Nonces);
        Assert.Equal([5UL], allocations[1].Nonces);
        Assert.Empty(allocations[2].Nonces);
        Assert.Equal("t/6", Assert.Single(allocations[2].Conflicts).BusinessKey);
        Assert.Equal(301UL, (await ledger.GetAccountAsync(s_lane))!.NextNonce);
        // No read of the three keys before writing (that would be a point read each).
        // Each taken key is met by a failed group and read once then; a third group writes t/new.
        Assert.Equal(2, requests.KeyPointReads);
        Assert.Equal(3, requests.Lines.Count(l => l.StartsWith("POST ", StringComparison.Ordinal) && l.Contains("$batch", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Keys_not_marked_absent_are_read_before_writing()
    {
        (LedgerTable ledger, RequestLog requests, NonceAllocator allocator) = await LaneOf300KeysAsync();

        CommandAllocation[] allocations = await allocator.AllocateManyAsync(s_lane, [("cmd-new", [Intent("t/new")]), ("cmd-same", [Intent("t/5")])], chainPendingCount: 0);

        Assert.Equal([300UL], allocations[0].Nonces);
        Assert.Equal([5UL], allocations[1].Nonces);
        // t/new: its row key only (the lane holds no pre-tag rows); t/5: found at its row key. One group writes t/new.
        Assert.Equal(2, requests.KeyPointReads);
        Assert.Equal(1, requests.Lines.Count(l => l.StartsWith("POST ", StringComparison.Ordinal) && l.Contains("$batch", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task One_nonces_row_is_a_point_read_and_a_range_of_them_one_query()
    {
        (LedgerTable ledger, RequestLog requests, _) = await LaneOf300KeysAsync();

        List<LedgerTransaction> one = await ledger.GetTransactionsAsync(s_lane, 5, 5);
        string[] oneRequests = [.. requests.Lines];
        requests.Clear();
        List<LedgerTransaction> none = await ledger.GetTransactionsAsync(s_lane, 400, 400);
        requests.Clear();
        List<LedgerTransaction> three = await ledger.GetTransactionsAsync(s_lane, 5, 7);

        Assert.Equal([5UL], one.Select(r => r.Nonce));
        Assert.StartsWith("GET ", Assert.Single(oneRequests), StringComparison.Ordinal);
        Assert.Contains("RowKey='" + LedgerRows.TransactionRow(5) + "')", oneRequests[0], StringComparison.Ordinal);
        Assert.Empty(none);
        Assert.Equal([5UL, 6UL, 7UL], three.Select(r => r.Nonce));
        Assert.Contains("$filter=", Assert.Single(requests.Lines), StringComparison.Ordinal);
    }

    // A ledger whose lane holds keys t/0 … t/299 at nonces 0 … 299 (so a few keys are point reads), the log cleared.
    private static async Task<(LedgerTable Ledger, RequestLog Requests, NonceAllocator Allocator)> LaneOf300KeysAsync()
    {
        (LedgerTable ledger, RequestLog requests) = await NewLedgerAsync();
        var allocator = new NonceAllocator(ledger);
        await allocator.AllocateAsync(s_lane, "cmd-1", [.. Enumerable.Range(0, 300).Select(i => Intent($"t/{i}"))], chainPendingCount: 0);
        Assert.False(await ledger.LegacyKeyRowsPossibleAsync(s_lane));
        requests.Clear();
        return (ledger, requests, allocator);
    }

    /// <summary>Every request the storage clients send, by method and unescaped path.</summary>
    private sealed class RequestLog() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public int Count => _lines.Count;

        /// <summary>Point reads of idempotency rows (<c>GET …(PartitionKey='…',RowKey='key-…')</c>).</summary>
        public int KeyPointReads => _lines.Count(l => l.StartsWith("GET ", StringComparison.Ordinal) && l.Contains("RowKey='" + CommandKeys.BusinessKeyRowPrefix, StringComparison.Ordinal));

        public void Clear() => _lines.Clear();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _lines.Enqueue($"{request.Method} {Uri.UnescapeDataString(request.RequestUri!.PathAndQuery)}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
