using System.Globalization;
using System.Net;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Distributions;

/// <summary>
/// Concurrent transfers each within the issuer's balance but together above it: the balance check net of
/// pending transfers runs per submission batch, so exactly what fits is accepted and nothing is sent that
/// would revert.
/// </summary>
public sealed class DistributionAdmissionTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    [Fact]
    public async Task ThirtyConcurrentTransfersOf5AgainstABalanceOf100_Accept20_Refuse10WithTheAmountError_AndSpendExactly100()
    {
        Address token = await app.IssueAsync("100", decimals: 0);
        int commandsBefore = await app.CountRowsAsync("commands");
        ulong nonceBefore = await app.IssuerNonceAsync();

        (HttpStatusCode Status, string Body)[] answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/transfers", new { externalId = $"adm-{i}", to = Holder(i).ToString(), amount = "5" }, $"adm-{i}");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        int accepted = answers.Count(a => a.Status == HttpStatusCode.Accepted);
        Assert.True(accepted == 20, $"{accepted} of 30 accepted where 20 fit; the others answered: {string.Join(" | ", answers.Where(a => a.Status != HttpStatusCode.Accepted).Select(a => $"{(int)a.Status} {a.Body}"))}");
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Accepted), a =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, a.Status);
            using JsonDocument problem = JsonDocument.Parse(a.Body);
            Assert.Contains("in pending transfers", problem.RootElement.GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(commandsBefore + 20, await app.CountRowsAsync("commands"));

        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (await app.IssuerNonceAsync() < nonceBefore + 20)
        {
            if (DateTime.UtcNow > deadline)
            {
                // The lane's own account of itself (nonce drift, backlog) and the ledger, for a run that cannot be repeated.
                string diagnose = await app.Client.GetStringAsync("/api/diagnose");
                var rows = await app.Platform.Ledger.GetTransactionsAsync(app.Platform.Lane, nonceBefore);
                string states = string.Join(", ", rows.Select(r => $"{r.Nonce}:{r.State}/{r.Attempts}"));
                Assert.Fail($"the 20 accepted transfers were not mined in 60 s: issuer nonce {await app.IssuerNonceAsync()} (before {nonceBefore}); ledger rows {states}; GET /api/diagnose: {diagnose}");
            }

            await Task.Delay(200);
        }

        Assert.Equal(UInt256.Zero, await app.BalanceAsync(token, app.Issuer.ToString()));
        UInt256 received = UInt256.Zero;
        for (int i = 0; i < 30; i++)
        {
            UInt256 balance = await app.BalanceAsync(token, Holder(i).ToString());
            Assert.Equal(answers[i].Status == HttpStatusCode.Accepted ? (UInt256)5UL : UInt256.Zero, balance);
            received += balance;
        }

        Assert.Equal((UInt256)100UL, received);
    }

    private static Address Holder(int i) => Address.Parse("0x" + (0x7000 + i).ToString("x40", CultureInfo.InvariantCulture));
}
