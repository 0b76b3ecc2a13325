using System.Net;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Accounts;

public sealed class GetAccountNonceTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    [Fact]
    public async Task RestartNonce_AfterTheIssuerKeyWasUsedOutsideTheApp_ResyncsTheLane_NextCommandUsesTheChainNonce_HistoryKept()
    {
        Address token = await app.IssueAsync("1000", decimals: 0);
        using HttpClient admin = AdminClient();
        List<LedgerTransaction> history = await RowsAsync();
        ulong ledgerNext = (await app.Platform.Ledger.GetAccountAsync(app.Platform.Lane))!.NextNonce;
        Assert.Equal(ledgerNext, await app.IssuerNonceAsync());

        // Another wallet with the issuer's key (anvil's unlocked dev account) spends the ledger's next nonce.
        string foreign = await app.Anvil.SendTransactionAndWaitAsync(new { from = app.Issuer.ToString(), to = AnvilAccounts.Addresses[1], value = "0x1" });
        JsonElement drifted = await NonceViewAsync("GET", app.Client);
        Assert.Equal(ledgerNext, drifted.GetProperty("nextNonce").GetUInt64());
        Assert.Equal(ledgerNext + 1, drifted.GetProperty("chainLatest").GetUInt64());

        JsonElement restarted = await NonceViewAsync("POST", admin);
        Assert.Equal(ledgerNext + 1, restarted.GetProperty("nextNonce").GetUInt64());
        Assert.Equal(1, restarted.GetProperty("restarts").GetInt32());

        // The skipped nonce is recorded at once and ends as consumed by the foreign transaction.
        LedgerTransaction filler = await WaitTerminalAsync(ledgerNext);
        Assert.Equal(TransactionState.NonceConsumedExternally, filler.State);
        Assert.Equal(Hash32.Parse(foreign), filler.MinedHash);
        Assert.True(filler.IsFiller);

        string id = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "after-restart", to = AnvilAccounts.Addresses[2], amount = "7" });
        JsonElement status = await app.WaitCompletedAsync(id);
        Assert.Equal(ledgerNext + 1, status.GetProperty("output").GetProperty("transactions")[0].GetProperty("nonce").GetUInt64());
        Assert.Equal((UInt256)7UL, await app.BalanceAsync(token, AnvilAccounts.Addresses[2]));

        // History: every earlier row is still there, unchanged; nonces are contiguous up to the chain's.
        List<LedgerTransaction> rows = await RowsAsync();
        Assert.Equal(history.Select(r => (r.Nonce, r.State, r.MinedHash, r.BusinessKey)), rows.Take(history.Count).Select(r => (r.Nonce, r.State, r.MinedHash, r.BusinessKey)));
        await LaneAudit.AssertLaneAsync(app.Platform.Ledger, app.Rpc, app.Anvil, app.Platform.Lane);

        // Without drift a restart only counts: no row, no nonce move.
        JsonElement again = await NonceViewAsync("POST", admin);
        Assert.Equal(ledgerNext + 2, again.GetProperty("nextNonce").GetUInt64());
        Assert.Equal(2, again.GetProperty("restarts").GetInt32());
        Assert.Equal(rows.Count, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task RestartNonce_OfAnAddressThatIsNotTheIssuer_Is404_AndChangesNothing()
    {
        using HttpClient admin = AdminClient();
        using HttpResponseMessage response = await admin.PostAsync(new Uri($"/api/accounts/{AnvilAccounts.Addresses[3]}/nonce/restart", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(app.Issuer.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<List<LedgerTransaction>> RowsAsync() => app.Platform.Ledger.GetTransactionsAsync(app.Platform.Lane, 0);

    private async Task<LedgerTransaction> WaitTerminalAsync(ulong nonce)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            LedgerTransaction? row = (await app.Platform.Ledger.GetTransactionsAsync(app.Platform.Lane, nonce, nonce)).SingleOrDefault();
            Assert.True(row is not null, $"no ledger row for nonce {nonce} after the restart");
            if (TransactionStates.IsTerminal(row.State))
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"nonce {nonce} is still {row.State}");
            await Task.Delay(100);
        }
    }

    private HttpClient AdminClient()
    {
        HttpClient client = app.CreateBareClient();
        client.DefaultRequestHeaders.Add("x-functions-key", PlatformApp.AdminKey);
        return client;
    }

    private async Task<JsonElement> NonceViewAsync(string method, HttpClient client)
    {
        string path = $"/api/accounts/{app.Issuer}/nonce" + (method == "POST" ? "/restart" : "");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
