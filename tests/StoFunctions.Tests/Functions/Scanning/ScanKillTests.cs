using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Functions.Scanning;

/// <summary>
/// The real app in a child process, killed with SIGKILL in the middle of a long scan and started again: the scan
/// command resumes by itself and the tables end exactly equal to the chain.
/// </summary>
public sealed class ScanKillTests
{
    private const int Blocks = 60;
    private const int TransfersPerBlock = 30;

    [Fact]
    public async Task A_scan_killed_twice_with_SIGKILL_resumes_after_each_restart_with_no_event_twice_and_none_missing()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync();
        using var rpc = new JsonRpcClient(anvil.RpcUrl);
        string storage = await AzuriteProcess.SharedAsync();
        string prefix = "k" + Guid.NewGuid().ToString("N")[..12];
        Address token = await GenerateAsync(anvil, rpc);
        ulong head = await rpc.GetBlockNumberAsync();

        AppProcessOptions options = AppProcessOptions.ForPlatform(storage, anvil.RpcUrl);
        options.Settings["Scanner:TablePrefix"] = prefix;
        options.Settings["Scanner:TokensTable"] = prefix + "tokens";
        // One block per range: 60 ranges, each committed on its own, so a kill lands between or inside ranges.
        options.Settings["Scanner:InitialRangeBlocks"] = "1";
        options.Settings["Scanner:MaxRangeBlocks"] = "1";
        options.Settings["Scanner:ScanWaitSeconds"] = "0";
        await using AppProcess app = await AppProcess.StartAsync(options);

        using HttpResponseMessage accepted = await app.Client.PostAsJsonAsync($"/api/tokens/{token}/scans", new { });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string location = accepted.Headers.Location!.OriginalString;

        var scannerOptions = new ScannerOptions { TablePrefix = prefix, TokensTable = prefix + "tokens" };
        var store = new ScanStore(StorageAccount.FromConnectionString(storage).Tables, scannerOptions);
        var killedAt = new List<ulong>();
        foreach (ulong beyond in new ulong[] { 8, 30 })
        {
            ulong last = await WaitForCursorAsync(store, token, beyond, app);
            await app.KillAsync();
            killedAt.Add(last);
            Assert.True(last < head, $"the scan reached the head ({head}) before the kill; the test needs a longer scan");
            await app.StartAsync();
        }

        JsonElement status = await WaitCompletedAsync(app, location);
        Assert.Equal(head, status.GetProperty("output").GetProperty("lastBlock").GetUInt64());
        Assert.Equal(3, app.Starts);
        Assert.True(killedAt[0] < killedAt[1], $"kills at {string.Join(", ", killedAt)}");

        // Every Transfer log of the chain stored exactly once, with its block hash, parties and value.
        IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { FromBlock = 0UL, ToBlock = head, Addresses = [token], Topics = [[PlainTokenContract.TransferTopic]] });
        List<TransferLog> stored = await store.ReadEventsAsync(token);
        Assert.Equal(1 + (Blocks * TransfersPerBlock), logs.Count);
        Assert.Equal(
            logs.Select(l => $"{TransferLog.EventKey(l.BlockNumber!.Value, l.LogIndex!.Value)} {l.TransactionHash} {l.BlockHash} {Hex.Encode(l.Topics[1].ToArray().AsSpan(12))} {Hex.Encode(l.Topics[2].ToArray().AsSpan(12))} {UInt256.FromBigEndian(l.Data)}"),
            stored.Select(e => $"{e.RowKey} {e.TransactionHash} {e.BlockHash} {e.From.ToLowerHex()} {e.To.ToLowerHex()} {e.Value}"));

        // Every holder's balance equals balanceOf, and every account that holds tokens is stored.
        Dictionary<Address, HolderBalance> holders = await store.LoadHoldersAsync(token);
        Assert.Equal(10, holders.Count);
        foreach (HolderBalance holder in holders.Values)
        {
            byte[] output = await rpc.CallAsync(new CallRequest { To = token, Data = PlainTokenContract.BalanceOf(holder.Holder) }, BlockParameter.FromNumber(head));
            Assert.Equal((BigInteger)PlainTokenContract.DecodeBalanceOf(output), holder.Balance);
        }
    }

    /// <summary>
    /// Rounds of one scan command each, on fresh tables over the same chain, the app killed with SIGKILL after a
    /// random delay (0–1.2 s after it answers health, so inside a range's writes, between ranges, in a rollback or
    /// while the job resumes) and started again while the scan has not completed, until 20 kills have landed. Each
    /// round ends with every holder's balance equal to <c>balanceOf</c> and every Transfer stored exactly once.
    /// The seed is in every failure message.
    /// </summary>
    [Fact]
    public async Task Scans_killed_with_SIGKILL_at_20_random_points_each_end_with_every_balance_equal_to_balanceOf_and_every_event_once()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync();
        using var rpc = new JsonRpcClient(anvil.RpcUrl);
        string storage = await AzuriteProcess.SharedAsync();
        Address token = await GenerateAsync(anvil, rpc);
        ulong head = await rpc.GetBlockNumberAsync();
        IReadOnlyList<LogEntry> logs = await rpc.GetLogsAsync(new LogFilter { FromBlock = 0UL, ToBlock = head, Addresses = [token], Topics = [[PlainTokenContract.TransferTopic]] });
        List<string> canonical = [.. logs.Select(l => $"{TransferLog.EventKey(l.BlockNumber!.Value, l.LogIndex!.Value)} {l.BlockHash} {UInt256.FromBigEndian(l.Data)}")];
        var expected = new Dictionary<Address, BigInteger>();
        foreach (Address holder in AnvilAccounts.Addresses.Take(10).Select(Address.Parse))
        {
            byte[] output = await rpc.CallAsync(new CallRequest { To = token, Data = PlainTokenContract.BalanceOf(holder) }, BlockParameter.FromNumber(head));
            expected[holder] = (BigInteger)PlainTokenContract.DecodeBalanceOf(output);
        }

        int seed = Environment.TickCount;
        var random = new Random(seed);
        AppProcessOptions options = AppProcessOptions.ForPlatform(storage, anvil.RpcUrl);
        options.Settings["Scanner:InitialRangeBlocks"] = "1";
        options.Settings["Scanner:MaxRangeBlocks"] = "1";
        options.Settings["Scanner:ScanWaitSeconds"] = "0";
        string prefix = Prefix(options);
        await using AppProcess app = await AppProcess.StartAsync(options);
        int kills = 0;
        for (int round = 1; kills < 20; round++)
        {
            // A round ends once its scan completes; on a quiet machine a 60-block scan often completes before a kill
            // lands (17 kills in 11 rounds once), so rounds are bounded only against a scan that never runs long enough.
            Assert.True(round <= 40, $"seed {seed}: {kills} kills in {round - 1} rounds; the scans finish too fast to be killed 20 times");
            using HttpResponseMessage accepted = await app.Client.PostAsJsonAsync($"/api/tokens/{token}/scans", new { });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            string location = accepted.Headers.Location!.OriginalString;
            for (int k = 0; k < 8; k++)
            {
                await Task.Delay(random.Next(0, 1_200));
                if (await StatusAsync(app, location) == "Completed")
                {
                    break;
                }

                await app.KillAsync();
                kills++;
                await app.StartAsync();
            }

            await WaitCompletedAsync(app, location);
            var store = new ScanStore(StorageAccount.FromConnectionString(storage).Tables, new ScannerOptions { TablePrefix = prefix, TokensTable = prefix + "tokens" });
            string label = $"seed {seed}, round {round}, {kills} kills so far";
            Assert.True(canonical.SequenceEqual((await store.ReadEventsAsync(token)).Select(e => $"{e.RowKey} {e.BlockHash} {e.Value}")), $"{label}: the stored events differ from the chain's");
            Dictionary<Address, HolderBalance> holders = await store.LoadHoldersAsync(token);
            Assert.True(holders.Count == expected.Count, $"{label}: {holders.Count} holders stored, {expected.Count} on chain");
            foreach ((Address holder, BigInteger balance) in expected)
            {
                Assert.True(holders.TryGetValue(holder, out HolderBalance? row) && row.Balance == balance,
                    $"{label}: {holder} has {row?.Balance.ToString() ?? "no row"}, balanceOf says {balance}");
            }

            // The next round scans again from scratch on fresh tables (settings apply at the next start).
            await app.KillAsync();
            prefix = Prefix(options);
            await app.StartAsync();
        }
    }

    private static string Prefix(AppProcessOptions options)
    {
        string prefix = "k" + Guid.NewGuid().ToString("N")[..12];
        options.Settings["Scanner:TablePrefix"] = prefix;
        options.Settings["Scanner:TokensTable"] = prefix + "tokens";
        return prefix;
    }

    private static async Task<string?> StatusAsync(AppProcess app, string location) =>
        (await app.Client.GetFromJsonAsync<JsonElement>(location)).GetProperty("runtimeStatus").GetString();

    /// <summary>
    /// A PlainToken and <see cref="Blocks"/> blocks of <see cref="TransfersPerBlock"/> transfers: the issuer pays
    /// accounts 1–9, which from the second block on also pay each other (so balances go up and down).
    /// </summary>
    private static async Task<Address> GenerateAsync(AnvilProcess anvil, JsonRpcClient rpc)
    {
        Address issuer = Address.Parse(AnvilAccounts.Addresses[0]);
        Hash32 deploy = await SendAsync(rpc, issuer, null, PlainTokenContract.Deploy("Kill Corp", "KIL", (UInt256)BigInteger.Pow(10, 30)));
        Address token = (await ReceiptAsync(rpc, deploy)).ContractAddress!.Value;
        await anvil.RpcAsync("evm_setAutomine", false);
        Hash32 lastHash = default;
        for (int block = 0; block < Blocks; block++)
        {
            for (int i = 0; i < TransfersPerBlock; i++)
            {
                Address to = Address.Parse(AnvilAccounts.Addresses[1 + ((block + i) % 9)]);
                // Peers send a few units; each got ≥ 3 issuer payments of ≥ 1,000 in the first block, so none reverts.
                bool peer = block > 0 && i % 3 == 0;
                Address from = peer ? Address.Parse(AnvilAccounts.Addresses[1 + (i % 9)]) : issuer;
                ulong amount = peer ? (ulong)(1 + (i % 5)) : (ulong)(1_000 + i + block);
                lastHash = await SendAsync(rpc, from, token, PlainTokenContract.Transfer(to, (UInt256)amount));
            }

            await anvil.RpcAsync("evm_mine");
        }

        Assert.True((await ReceiptAsync(rpc, lastHash)).Succeeded);
        return token;
    }

    private static async Task<Hash32> SendAsync(JsonRpcClient rpc, Address from, Address? to, byte[] data)
    {
        var tx = new Dictionary<string, object?> { ["from"] = from.ToString(), ["data"] = "0x" + Convert.ToHexStringLower(data), ["gas"] = "0x4c4b40" };
        if (to is { } target)
        {
            tx["to"] = target.ToString();
        }

        return await rpc.SendAsync<Hash32>("eth_sendTransaction", [tx]);
    }

    private static async Task<TransactionReceipt> ReceiptAsync(JsonRpcClient rpc, Hash32 hash)
    {
        TransactionReceipt receipt = await AnvilProcess.WaitForReceiptAsync(rpc, hash);
        Assert.True(receipt.Succeeded, $"transaction {hash} reverted");
        return receipt;
    }

    /// <summary>Polls the token's cursor until it has passed <paramref name="blocks"/> blocks; returns it.</summary>
    private static async Task<ulong> WaitForCursorAsync(ScanStore store, Address token, ulong blocks, AppProcess app)
    {
        for (int i = 0; i < 6_000; i++)
        {
            try
            {
                if (await store.GetCursorAsync(token) is { } cursor && cursor.LastBlock >= cursor.StartBlock + blocks)
                {
                    return cursor.LastBlock;
                }
            }
            catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                // The app has not created the scanner tables yet.
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"the scan did not pass {blocks} blocks in 60 s; app output:\n{app.History}");
    }

    private static async Task<JsonElement> WaitCompletedAsync(AppProcess app, string location)
    {
        for (int i = 0; i < 1_200; i++)
        {
            JsonElement status = await app.Client.GetFromJsonAsync<JsonElement>(location);
            string? state = status.GetProperty("runtimeStatus").GetString();
            if (state == "Completed")
            {
                return status;
            }

            Assert.True(state != "Failed", $"the scan failed: {status.GetProperty("error")}\n{app.History}");
            await Task.Delay(100);
        }

        throw new TimeoutException($"the scan did not complete in 120 s after the restarts; app output:\n{app.History}");
    }
}
