using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Transfers;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Transfers;

/// <summary>
/// What a single transfer's planning asks the node: its round trips are most of what a transfer costs before its
/// 202, so a token's decimals are read once and the balance only when the estimate says the issuer cannot pay.
/// </summary>
public sealed class TransferPlanningReadsTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private static readonly string s_decimals = Hex.Encode(SecurityTokenContract.Decimals());
    private static readonly string s_balanceOf = Hex.Encode(SecurityTokenContract.BalanceOf(Address.Zero)[..4]);

    [Fact]
    public async Task A_transfer_the_issuer_can_pay_is_planned_from_its_estimate_alone_once_the_tokens_decimals_are_known()
    {
        Address token = await app.IssueAsync("100", decimals: 0);
        using var methods = new RpcMethodLog();
        using var rpc = new JsonRpcClient(new HttpClient(methods), app.Anvil.RpcUrl);
        TransferTokens planner = PlannerOver(rpc);

        await planner.PlanAsync(Transfer(token, "reads-1", "5"), CancellationToken.None);
        string[] first = methods.Take();
        TransactionIntent intent = Assert.Single(await planner.PlanAsync(Transfer(token, "reads-2", "7"), CancellationToken.None));
        string[] second = methods.Take();

        Assert.Contains("eth_call " + s_decimals, first);
        // eth_getBlockByNumber (the gas cap) is read again only after HeadGasLimit.MaxAge, which a loaded machine may take.
        Assert.Equal(["eth_estimateGas"], second.Where(m => m != "eth_getBlockByNumber"));
        Assert.DoesNotContain(first, m => m.StartsWith("eth_call " + s_balanceOf, StringComparison.Ordinal));
        Assert.Equal(SecurityTokenContract.Transfer(Address.Parse("0x00000000000000000000000000000000000a11ce"), (UInt256)7UL), intent.Data);
        Assert.True(intent.GasLimit > 21_000, $"gas limit {intent.GasLimit}");
    }

    [Fact]
    public async Task A_transfer_above_the_balance_reads_it_after_the_refused_estimate_and_answers_with_the_amount_error()
    {
        Address token = await app.IssueAsync("100", decimals: 0);
        using var methods = new RpcMethodLog();
        using var rpc = new JsonRpcClient(new HttpClient(methods), app.Anvil.RpcUrl);
        TransferTokens planner = PlannerOver(rpc);

        CommandValidationException refused = await Assert.ThrowsAsync<CommandValidationException>(() => planner.PlanAsync(Transfer(token, "reads-3", "101"), CancellationToken.None));

        string[] asked = methods.Take();
        Assert.Equal(["amount"], refused.Errors.Keys);
        Assert.Contains("The rows total 101 but the issuer", refused.Errors["amount"][0], StringComparison.Ordinal);
        Assert.Contains("has 100 available", refused.Errors["amount"][0], StringComparison.Ordinal);
        Assert.True(Array.IndexOf(asked, "eth_estimateGas") < Array.FindIndex(asked, m => m.StartsWith("eth_call " + s_balanceOf, StringComparison.Ordinal)), string.Join(", ", asked));
    }

    private TransferTokens PlannerOver(JsonRpcClient rpc) => new(new IssuerChain(rpc, app.Platform.Lane, app.Table(Platform.LedgerTableName)));

    private static JsonElement Transfer(Address token, string externalId, string amount) =>
        JsonSerializer.SerializeToElement(new { token = token.ToString(), externalId, to = "0x00000000000000000000000000000000000a11ce", amount });

    // Every JSON-RPC method the client sends, in order (an eth_call with its selector), batches unrolled.
    private sealed class RpcMethodLog() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<string> _methods = [];

        public string[] Take()
        {
            lock (_methods)
            {
                string[] taken = [.. _methods];
                _methods.Clear();
                return taken;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using JsonDocument body = JsonDocument.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            IEnumerable<JsonElement> calls = body.RootElement.ValueKind == JsonValueKind.Array ? body.RootElement.EnumerateArray() : [body.RootElement];
            lock (_methods)
            {
                foreach (JsonElement call in calls)
                {
                    string method = call.GetProperty("method").GetString()!;
                    _methods.Add(method == "eth_call" ? $"{method} {call.GetProperty("params")[0].GetProperty("data").GetString()![..10]}" : method);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
