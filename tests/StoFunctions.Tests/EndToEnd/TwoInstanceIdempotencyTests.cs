using System.Globalization;
using System.Net;
using System.Text.Json;
using StoFunctions.Azure.Storage;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Issue #14 item 12 across instances: one Idempotency-Key sent to two instances of the real app (one Azurite, one
/// anvil, each instance its own in-process key gate, so only the command row's claim in storage keeps them apart)
/// at the same moment is one command and one set of transactions, and every answer names that command.
/// </summary>
public sealed class TwoInstanceIdempotencyTests(PrivateChain chain) : IClassFixture<PrivateChain>
{
    private const int Rows = 40;
    private const int RequestsPerInstance = 10;

    [Fact]
    public async Task OneIdempotencyKeySentToTwoAppInstancesAtOnce_IsOneCommandWithOneTransactionPerRow_AndEveryAnswerCarriesItsId()
    {
        PlatformApp one = PlatformApp.Attach(chain.Azurite, chain.Anvil, new Dictionary<string, string?>());
        PlatformApp two = PlatformApp.Attach(chain.Azurite, chain.Anvil, new Dictionary<string, string?>());
        try
        {
            Address token = await one.IssueAsync("1000000", decimals: 0);
            var rows = Enumerable.Range(0, Rows).Select(i => new { externalId = $"x-{i}", address = Holder(i).ToString(), amount = (i + 1).ToString(CultureInfo.InvariantCulture) }).ToArray();
            string key = "cross-instance-" + token;
            ulong firstNonce = await one.IssuerNonceAsync();
            int commandsBefore = await one.CountRowsAsync(Platform.CommandsTable);

            // Both instances get their first request at once (each instance queues its later ones behind its own).
            (HttpStatusCode Status, string Body)[] answers = await Task.WhenAll(Enumerable.Range(0, 2 * RequestsPerInstance).Select(async i =>
            {
                using HttpResponseMessage response = await (i % 2 == 0 ? one : two).PostJsonAsync($"/api/tokens/{token}/distributions", new { rows }, key);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }));

            Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Accepted, $"{(int)a.Status} {a.Body}"));
            string id = Assert.Single(answers.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetString()!).Distinct());
            Assert.Equal(CommandKeys.IdFor(key), id);
            Assert.Equal(commandsBefore + 1, await one.CountRowsAsync(Platform.CommandsTable));

            // Planning is over once every answer is in: the ledger holds exactly one nonce per row, all this command's.
            var ledger = new LedgerTable(StorageAccount.FromConnectionString(chain.Azurite.ConnectionString).Tables.GetTableClient(Platform.LedgerTableName));
            var lane = new LaneId(chain.Anvil.ChainId, one.Issuer);
            List<LedgerTransaction> planned = await ledger.GetTransactionsAsync(lane, firstNonce);
            Assert.Equal(Enumerable.Range(0, Rows).Select(i => firstNonce + (ulong)i), planned.Select(r => r.Nonce));
            Assert.All(planned, r => Assert.Equal(id, r.CommandId));
            Assert.Equal(Rows, planned.Select(r => r.BusinessKey).Distinct().Count());

            JsonElement status = await two.WaitCompletedAsync(id, 120);
            Assert.Equal(Rows, status.GetProperty("output").GetProperty("transactions").GetArrayLength());
            Assert.Equal(firstNonce + Rows, await one.IssuerNonceAsync());
            for (int i = 0; i < Rows; i++)
            {
                Assert.Equal((UInt256)(ulong)(i + 1), await one.BalanceAsync(token, Holder(i).ToString()));
            }
        }
        finally
        {
            await two.DisposeAsync();
            await one.DisposeAsync();
        }
    }

    private static Address Holder(int i) => Address.Parse("0x" + (0x7000 + i).ToString("x40", CultureInfo.InvariantCulture));
}
