using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;
using StoFunctions.Tests.Hosting;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Idempotency through real HTTP against Azurite and anvil (issue 14 items 5 and 12): a business key with other
/// content is a 409, equal content in another spelling is the same result, a Failed row is retried only on request
/// (and keeps its history), one idempotency key submitted 200 times at once is one command, and two keys for one
/// request are refused.
/// </summary>
public sealed class IdempotencyTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string Holder = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";

    [Fact]
    public async Task ReusedExternalIdWithAnotherAmount_Is409NamingTheCommandAndBothValues_AndSendsNothing()
    {
        Address token = await app.IssueAsync("1000");
        string first = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "S-1", to = Holder, amount = "50" });
        await app.WaitCompletedAsync(first);
        ulong nonce = await app.IssuerNonceAsync();

        using (HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/transfers", new { externalId = "S-1", to = Holder, amount = "51" }))
        {
            JsonElement problem = await response.AssertProblemAsync(409);
            Assert.Contains(first, Detail(problem), StringComparison.Ordinal);
            string message = Assert.Single(Errors(problem, "externalId"));
            Assert.Contains(first, message, StringComparison.Ordinal);
            Assert.Contains("amount 50;", message, StringComparison.Ordinal);
            Assert.Contains("amount 51.", message, StringComparison.Ordinal);
        }

        var rows = new[] { new { externalId = "S-2", address = Holder, amount = "5" }, new { externalId = "S-1", address = AnvilAccounts.Addresses[3], amount = "50" } };
        using (HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/distributions", new { rows }))
        {
            JsonElement problem = await response.AssertProblemAsync(409);
            string message = Assert.Single(Errors(problem, "rows[1].externalId"));
            Assert.Contains($"to {Holder.ToLowerInvariant()} amount 50", message, StringComparison.Ordinal);
            Assert.Contains($"to {AnvilAccounts.Addresses[3].ToLowerInvariant()} amount 50", message, StringComparison.Ordinal);
            Assert.False(problem.GetProperty("errors").TryGetProperty("rows[0].externalId", out _));
        }

        using (HttpResponseMessage response = await app.PostCsvAsync($"/api/tokens/{token}/distributions", $"external_id,email,name,address,amount\nS-3,,,{Holder},1\nS-1,,,{Holder},49\n"))
        {
            JsonElement problem = await response.AssertProblemAsync(409);
            Assert.Contains("amount 49", Assert.Single(Errors(problem, "row 3")), StringComparison.Ordinal);
        }

        // Concurrent repeats with the changed amount: every one refused, none sends anything.
        HttpResponseMessage[] parallel = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.PostJsonAsync($"/api/tokens/{token}/transfers", new { externalId = "S-1", to = Holder, amount = "51" })));
        Assert.All(parallel, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Array.ForEach(parallel, r => r.Dispose());
        Assert.Equal(nonce, await app.IssuerNonceAsync());
        Assert.Equal(UInt256.Parse("50000000000000000000"), await app.BalanceAsync(token, Holder));
    }

    [Fact]
    public async Task SameContentWithLowerCaseAddressAndTrailingFractionZeros_IsTheSameCommandOrResult_AndSendsNothingNew()
    {
        Address token = await app.IssueAsync("1000");
        string key = "same-content-" + token;
        string id = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "E-1", to = Holder, amount = "1" }, key);
        JsonElement done = await app.WaitCompletedAsync(id);
        string hash = done.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString()!;
        ulong nonce = await app.IssuerNonceAsync();

        Assert.Equal(id, await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "E-1", to = Holder.ToLowerInvariant(), amount = "1.0" }, key));

        string again = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "E-1", to = Holder.ToLowerInvariant(), amount = "1.00" });
        JsonElement repeated = await app.WaitCompletedAsync(again);
        Assert.Equal(hash, repeated.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString());

        var rows = new[] { new { externalId = "E-1", address = Holder.ToLowerInvariant(), amount = "1.000" } };
        JsonElement distributed = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        Assert.Equal(hash, distributed.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString());
        Assert.Equal(nonce, await app.IssuerNonceAsync());
    }

    [Fact]
    public async Task RetryFailedTrue_SendsExactlyOneNewTransferForARowWhoseTransferFailed_AndTheFailedOneStaysInHistory()
    {
        Address token = await app.IssueAsync("1000");
        Address module = await DeployTransferHookModuleAsync(token);
        await app.LinkEntityAsync(token);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/modules", new { module = module.ToString(), permissions = Array.Empty<string>() }));

        // The module passes every check at planning; it starts rejecting in the block that mines the transfer.
        (string failedId, ulong failedNonce) = await TransferThatFailsOnChainAsync(token, module, "R-1", "7");
        await SendFromAsync(AnvilAccounts.Addresses[1], module, TestModuleContract.SetBehaviour(0));
        ulong nonce = await app.IssuerNonceAsync();

        // Without the switch the row answers with its failed transfer and sends nothing.
        string plain = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "R-1", to = Holder, amount = "7" });
        JsonElement plainStatus = await WaitTerminalAsync(plain);
        Assert.Equal("Failed", plainStatus.GetProperty("runtimeStatus").GetString());
        Assert.Equal(failedNonce, plainStatus.GetProperty("output").GetProperty("transactions")[0].GetProperty("nonce").GetUInt64());
        Assert.Equal(nonce, await app.IssuerNonceAsync());

        // With it: one new transfer, under the row's next attempt; the failed one keeps its row and its command.
        string[] retries = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => app.SubmitAsync($"/api/tokens/{token}/transfers?retryFailed=true", new { externalId = "R-1", to = Holder, amount = "7" })));
        foreach (string retry in retries)
        {
            JsonElement tx = Assert.Single((await app.WaitCompletedAsync(retry)).GetProperty("output").GetProperty("transactions").EnumerateArray());
            Assert.Equal(nonce, tx.GetProperty("nonce").GetUInt64());
            Assert.Contains($"retry 1 of the failed transfer at nonce {failedNonce}", tx.GetProperty("note").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(nonce + 1, await app.IssuerNonceAsync());
        Assert.Equal(UInt256.Parse("7000000000000000000"), await app.BalanceAsync(token, Holder));
        JsonElement history = await StatusAsync(failedId);
        Assert.Equal("Failed", history.GetProperty("runtimeStatus").GetString());
        Assert.Equal("Failed", history.GetProperty("output").GetProperty("transactions")[0].GetProperty("status").GetString());

        // A row whose latest attempt succeeded is not retried again, and the switch works in a distribution body too.
        JsonElement rerun = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions",
            new { retryFailed = true, rows = new[] { new { externalId = "R-1", address = Holder, amount = "7" } } }));
        Assert.Equal(nonce, rerun.GetProperty("output").GetProperty("transactions")[0].GetProperty("nonce").GetUInt64());
        Assert.Equal(nonce + 1, await app.IssuerNonceAsync());
    }

    [Fact]
    public async Task TwoHundredParallelRequestsWithOneIdempotencyKey_AllGetTheSameId_OneTransactionPerRow_And_No5xx()
    {
        Address token = await app.IssueAsync("100000");
        var rows = Enumerable.Range(0, 250).Select(i => new { externalId = $"P-{i}", address = Holder, amount = "1" }).ToArray();
        string key = "parallel-" + token;
        ulong nonce = await app.IssuerNonceAsync();

        var clock = Stopwatch.StartNew();
        (HttpStatusCode Status, string Body)[] answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/distributions", new { rows }, key);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        clock.Stop();

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Accepted, $"{(int)a.Status} {a.Body}"));
        string[] ids = [.. answers.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetString()!).Distinct()];
        string id = Assert.Single(ids);
        // Generous: the point is that later requests wait for the first one instead of re-planning 250 rows each.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"200 same-key requests took {clock.Elapsed}");
        await app.WaitCompletedAsync(id, 180);
        Assert.Equal(nonce + 250, await app.IssuerNonceAsync());
    }

    [Fact]
    public async Task TwoHundredParallelTransfersWithDistinctKeys_AreAll202_AndEachSendsOneTransaction()
    {
        Address token = await app.IssueAsync("100000");
        ulong nonce = await app.IssuerNonceAsync();
        (HttpStatusCode Status, string Body)[] answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/transfers", new { externalId = $"D-{i}", to = Holder, amount = "1" }, $"distinct-{token}-{i}");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Accepted, $"{(int)a.Status} {a.Body}"));
        foreach ((_, string body) in answers)
        {
            await app.WaitCompletedAsync(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!, 180);
        }

        Assert.Equal(nonce + 200, await app.IssuerNonceAsync());
    }

    [Fact]
    public async Task IdempotencyKeyHeaderThatDiffersFromTheBodyKey_Is400_AndPlansNothing()
    {
        Address token = await app.IssueAsync("1000");
        ulong nonce = await app.IssuerNonceAsync();
        using HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/transfers",
            new { externalId = "K-1", to = Holder, amount = "1", idempotencyKey = "body-key" }, "header-key");
        JsonElement problem = await response.AssertProblemAsync(400);

        Assert.Contains("header-key", Detail(problem), StringComparison.Ordinal);
        Assert.Contains("body-key", Detail(problem), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("idempotencyKey", out _));
        Assert.Equal(nonce, await app.IssuerNonceAsync());

        // The same key in both places is one key.
        string id = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "K-1", to = Holder, amount = "1", idempotencyKey = "both-" + token }, "both-" + token);
        Assert.Equal(id, await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "K-1", to = Holder, amount = "1" }, "both-" + token));
    }

    // A TestModule with only the transfer hook: detectTransferRestriction (checkTransfer hooks) never asks it, the
    // transfer itself calls it, so it decides on chain what planning could not see.
    private async Task<Address> DeployTransferHookModuleAsync(Address token)
    {
        byte[] transferTokens = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes("transferTokens(address[2],bytes32[2],uint8[2],uint16[2],uint256)")).ToArray()[..4];
        Hash32 hash = Hash32.Parse((await app.Anvil.RpcAsync("eth_sendTransaction", new { from = AnvilAccounts.Addresses[1], data = Hex.Encode(TestModuleContract.Deploy(token, [], [transferTokens])), gas = "0x300000" })).GetString()!);
        return (await AnvilProcess.WaitForReceiptAsync(app.Rpc, hash)).ContractAddress!.Value;
    }

    // Holds mining while the lane broadcasts the transfer, then mines one block in which the module's switch to
    // Revert (a far higher tip, so anvil orders it first) runs before the transfer: the transfer reverts on chain.
    private async Task<(string Id, ulong Nonce)> TransferThatFailsOnChainAsync(Address token, Address module, string externalId, string amount)
    {
        await app.Anvil.RpcAsync("evm_setAutomine", false);
        string id;
        try
        {
            id = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId, to = Holder, amount });
            DateTime deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                JsonElement status = await StatusAsync(id);
                if (status.GetProperty("output") is { ValueKind: JsonValueKind.Object } output && output.GetProperty("transactions")[0].GetProperty("status").GetString() == "Broadcast")
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"the transfer was not broadcast in 60 s: {status}");
                await Task.Delay(100);
            }

            Hash32 flip = Hash32.Parse((await app.Anvil.RpcAsync("eth_sendTransaction", new
            {
                from = AnvilAccounts.Addresses[1],
                to = module.ToString(),
                data = Hex.Encode(TestModuleContract.SetBehaviour(2)),
                gas = "0x100000",
                maxPriorityFeePerGas = "0x174876e800", // 100 gwei
                maxFeePerGas = "0x5d21dba000", // 400 gwei
            })).GetString()!);
            await app.Anvil.RpcAsync("evm_mine");
            Assert.True((await AnvilProcess.WaitForReceiptAsync(app.Rpc, flip)).Succeeded);
        }
        finally
        {
            await app.Anvil.RpcAsync("evm_setAutomine", true);
        }

        JsonElement failed = await WaitTerminalAsync(id);
        Assert.True(failed.GetProperty("runtimeStatus").GetString() == "Failed", $"the transfer was expected to fail on chain: {failed}");
        return (id, failed.GetProperty("output").GetProperty("transactions")[0].GetProperty("nonce").GetUInt64());
    }

    private static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString()!;

    private static string[] Errors(JsonElement problem, string field) =>
        [.. problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    private async Task<JsonElement> StatusAsync(string id) => JsonDocument.Parse(await app.Client.GetStringAsync("/api/commands/" + id)).RootElement.Clone();

    private async Task<JsonElement> WaitTerminalAsync(string id)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            JsonElement status = await StatusAsync(id);
            if (status.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed")
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"command {id} did not end in 60 s: {status}");
            await Task.Delay(150);
        }
    }

    private async Task SendFromAsync(string from, Address to, byte[] data)
    {
        Hash32 hash = Hash32.Parse((await app.Anvil.RpcAsync("eth_sendTransaction", new { from, to = to.ToString(), data = Hex.Encode(data), gas = "0x200000" })).GetString()!);
        Assert.True((await AnvilProcess.WaitForReceiptAsync(app.Rpc, hash)).Succeeded);
    }
}
