using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Testing;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// What planning checks on the chain before anything is written or sent, through real HTTP against Azurite and
/// anvil: gas limits come from estimates (a transfer after a snapshot costs far more than before one), a call
/// that would revert is refused with the contract's decoded error, and the bounds used where estimation is
/// impossible (calls to a token the same command deploys) still cover what those calls cost.
/// </summary>
public sealed class PlanningChecksTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    [Fact]
    public async Task ThirtyRowDistributionAfterASnapshotWithAModuleAttached_EveryTransferSucceeds()
    {
        Address token = await app.IssueAsync("1000000");
        Address module = await DeployAsFromAccount1Async(MaxHoldersModuleContract.Deploy(token, app.Issuer, (UInt256)1000UL, (UInt256)1UL));
        await app.LinkEntityAsync(token);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/modules", new { module = module.ToString(), permissions = Array.Empty<string>() }));
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/snapshots", new { }));

        var rows = Enumerable.Range(0, 30).Select(i => new { externalId = "after-snapshot-" + i.ToString(CultureInfo.InvariantCulture), address = HolderAddress(i).ToString(), amount = "10" }).ToArray();
        JsonElement status = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }), 120);

        JsonElement[] transactions = [.. status.GetProperty("output").GetProperty("transactions").EnumerateArray()];
        Assert.Equal(30, transactions.Length);
        foreach (JsonElement tx in transactions)
        {
            TransactionReceipt receipt = (await app.Rpc.GetTransactionReceiptAsync(Hash32.Parse(tx.GetProperty("hash").GetString()!)))!;
            Assert.True(receipt.Succeeded, $"{tx.GetProperty("note").GetString()} failed using {receipt.GasUsed} gas");
        }

        Assert.Equal(UInt256.Parse("10000000000000000000"), await app.BalanceAsync(token, HolderAddress(29).ToString()));
    }

    [Fact]
    public async Task ForcedTransferToAReceiverWithoutKyc_IsRefusedAtIntakeNamingReceiverRestricted_AndNothingIsSent()
    {
        JsonElement deployed = await app.WaitCompletedAsync(await app.SubmitAsync("/api/kyc-registries", new { }));
        Address registry = Address.Parse(deployed.GetProperty("output").GetProperty("registryAddress").GetString()!);
        string holder = AnvilAccounts.Addresses[3], outsider = AnvilAccounts.Addresses[4];
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/kyc-registries/{registry}/entries", new { entries = new[] { new { address = app.Issuer.ToString() }, new { address = holder } } }));
        Address token = await app.IssueAsync("1000", "restricted", registry);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "kyc-holder", to = holder, amount = "100" }));
        ulong nonceBefore = await app.IssuerNonceAsync();

        using HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/forced-transfers", new { from = holder, to = outsider, amount = "40" });
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using JsonDocument problem = JsonDocument.Parse(body);
        string message = problem.RootElement.GetProperty("errors").GetProperty("to")[0].GetString()!;
        Assert.Contains($"ReceiverRestricted({Address.Parse(outsider)}, 1)", message, StringComparison.Ordinal);
        Assert.Contains("KYC", message, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown revert data", body, StringComparison.Ordinal);
        Assert.Equal(nonceBefore, await app.IssuerNonceAsync());
        using JsonDocument recent = JsonDocument.Parse(await app.Client.GetStringAsync("/api/transactions?limit=1"));
        Assert.DoesNotContain("forced transfer", recent.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(UInt256.Parse("100000000000000000000"), await app.BalanceAsync(token, holder));
    }

    [Fact]
    public async Task IssueWithEveryOptionAndTheLongestUrl_EachCallToTheNewTokenHasALimitCoveringItsEstimatePlusMargin()
    {
        // The calls to the token the command deploys cannot be estimated at planning; their measured bounds are
        // pinned here against eth_estimateGas of each call on the state it was mined on (the block before it).
        JsonElement deployed = await app.WaitCompletedAsync(await app.SubmitAsync("/api/kyc-registries", new { }));
        Address registry = Address.Parse(deployed.GetProperty("output").GetProperty("registryAddress").GetString()!);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/kyc-registries/{registry}/entries", new { address = app.Issuer.ToString() }));
        string longestUrl = "https://example.com/" + new string('u', 480);
        foreach (object body in new object[]
        {
            new { name = "Gas Corp", symbol = "GAS", amount = "1000", url = longestUrl, restriction = "restricted" },
            new { name = "Gas Corp", symbol = "GAS", amount = "1000", url = longestUrl, restriction = "restricted", kycRegistry = registry.ToString() },
        })
        {
            JsonElement status = await app.WaitCompletedAsync(await app.SubmitAsync("/api/tokens", body));
            ulong blockGasLimit = (await app.Rpc.GetBlockByNumberAsync(BlockParameter.Latest))!.GasLimit;
            foreach (JsonElement tx in status.GetProperty("output").GetProperty("transactions").EnumerateArray())
            {
                Hash32 hash = Hash32.Parse(tx.GetProperty("hash").GetString()!);
                RpcTransaction sent = (await app.Rpc.GetTransactionByHashAsync(hash))!;
                TransactionReceipt receipt = (await app.Rpc.GetTransactionReceiptAsync(hash))!;
                Assert.True(receipt.Succeeded, $"{tx.GetProperty("note").GetString()} failed");

                // The state before the block is the state the call ran on only when it was the block's first
                // transaction; anvil's automine may put several of the lane's transactions in one block (it did under
                // load), and a later one then depends on the earlier ones (the mint on the issuer's KYC entry), so its
                // estimate there would revert. Those are checked against the gas they used.
                ulong estimate = receipt.TransactionIndex == 0
                    ? await app.Rpc.EstimateGasAsync(new CallRequest { From = app.Issuer, To = sent.To, Data = sent.Input }, BlockParameter.FromNumber(receipt.BlockNumber - 1))
                    : receipt.GasUsed;
                Assert.True(sent.Gas >= GasLimits.WithMargin(estimate, blockGasLimit), $"{tx.GetProperty("note").GetString()}: limit {sent.Gas} < estimate {estimate} + margin");
            }
        }
    }

    private static Address HolderAddress(int i) => Address.FromBytes(Keccak256.Hash(Encoding.UTF8.GetBytes("planning-checks-holder-" + i.ToString(CultureInfo.InvariantCulture))).ToArray().AsSpan(12));

    // Deployed by anvil account 1, never the app's signer, whose nonces belong to the lane.
    private async Task<Address> DeployAsFromAccount1Async(byte[] creation)
    {
        Hash32 hash = Hash32.Parse((await app.Anvil.RpcAsync("eth_sendTransaction", new { from = AnvilAccounts.Addresses[1], data = Hex.Encode(creation), gas = "0x500000" })).GetString()!);
        TransactionReceipt receipt = await AnvilProcess.WaitForReceiptAsync(app.Rpc, hash);
        Assert.True(receipt.Succeeded, $"the deployment {hash} reverted");
        return receipt.ContractAddress!.Value;
    }
}
