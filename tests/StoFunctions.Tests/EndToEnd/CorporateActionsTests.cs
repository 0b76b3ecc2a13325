using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Corporate actions through real HTTP against Azurite and anvil: snapshots, on-chain payouts pushed in batches,
/// reclaim, the off-chain pro-rata payout, ballots with votes sent by the holders themselves, documents and
/// announcements. Expected amounts are computed here from the distributed balances, independently of the app.
/// </summary>
public sealed class CorporateActionsTests(PlatformApp app, ITestOutputHelper output) : IClassFixture<PlatformApp>
{
    private const string Holder300 = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Holder500 = "0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2";
    private static readonly BigInteger s_unit = BigInteger.Pow(10, 18);

    [Fact]
    public async Task PayoutTo500SnapshotHoldersByBatchPush_PaysEachItsExactShare_AndRerunsPayNobodyTwice()
    {
        Address token = await app.IssueAsync("10000000");
        Address[] holders = [.. Enumerable.Range(0, 500).Select(HolderAddress)];
        BigInteger[] units = [.. Enumerable.Range(0, 500).Select(i => (BigInteger)(((i * 37) % 500) + 1))];
        var rows = holders.Select((h, i) => new { externalId = $"h{i}", address = h.ToString(), amount = units[i].ToString(CultureInfo.InvariantCulture) }).ToArray();
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }), 120);

        (ulong snapshotId, _) = await SnapshotAsync(token);
        // Moved after the snapshot: must not change anybody's share.
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "after-snapshot", to = holders[0].ToString(), amount = "5000" }));

        Address asset = await DeployStablecoinAsync(UInt256.Parse("1000000000000"));
        ulong deadline = await ChainTimeAsync() + 3600;
        ulong nonceBefore = await app.IssuerNonceAsync();
        JsonElement created = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts",
            new { asset = asset.ToString(), amount = "123456.789012", snapshotId, claimDeadline = deadline, excluded = new[] { app.Issuer.ToString() } }, "payout-" + token));
        JsonElement[] createTxs = [.. created.GetProperty("output").GetProperty("transactions").EnumerateArray()];
        Assert.Equal([nonceBefore, nonceBefore + 1, nonceBefore + 2], createTxs.Select(t => t.GetProperty("nonce").GetUInt64()));
        Address distributor = Address.Parse(created.GetProperty("output").GetProperty("payoutDistributor").GetString()!);
        Assert.Equal(ContractAddress.Create(app.Issuer, nonceBefore), distributor);

        using (JsonDocument list = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/payouts")))
        {
            JsonElement payout = list.RootElement.GetProperty("payouts").EnumerateArray().Single();
            Assert.Equal(1UL, payout.GetProperty("id").GetUInt64());
            Assert.Equal(createTxs[2].GetProperty("hash").GetString(), payout.GetProperty("transactionHash").GetString());
            Assert.Equal("123456.789012", payout.GetProperty("amount").GetString());
            Assert.Equal((units.Aggregate(BigInteger.Add) * s_unit).ToString(CultureInfo.InvariantCulture), payout.GetProperty("baseRaw").GetString());
        }

        string pushKey = "push-" + token;
        string pushId = await app.SubmitAsync($"/api/tokens/{token}/payouts/1/push", new { }, pushKey);
        JsonElement pushed = await app.WaitCompletedAsync(pushId, 120);
        JsonElement[] batches = [.. pushed.GetProperty("output").GetProperty("transactions").EnumerateArray()];
        int perBatch = StoFunctions.Functions.Payouts.PushBatches.Size((await app.Rpc.GetBlockByNumberAsync(BlockParameter.Latest))!.GasLimit);
        Assert.Equal((500 + perBatch - 1) / perBatch, batches.Length);
        Assert.True(batches.Length > 1, "500 holders should need more than one batch");
        foreach (JsonElement batch in batches)
        {
            TransactionReceipt receipt = (await app.Rpc.GetTransactionReceiptAsync(Hash32.Parse(batch.GetProperty("hash").GetString()!)))!;
            Assert.True(receipt.Succeeded);
            Assert.True(receipt.GasUsed < 15_000_000, $"a batch used {receipt.GasUsed} gas");
            output.WriteLine($"{batch.GetProperty("note").GetString()}: {receipt.GasUsed} gas");
        }

        BigInteger amount = BigInteger.Parse("123456789012", CultureInfo.InvariantCulture);
        BigInteger @base = units.Aggregate(BigInteger.Add);
        BigInteger[] expected = [.. units.Select(u => u * amount / @base)];
        Assert.Equal(expected, await StablecoinBalancesAsync(asset, holders));

        // Same key: same command. New key: a new command that adopts the planned batches and sends nothing.
        ulong nonceAfterPush = await app.IssuerNonceAsync();
        Assert.Equal(pushId, await app.SubmitAsync($"/api/tokens/{token}/payouts/1/push", new { }, pushKey));
        string again = await app.SubmitAsync($"/api/tokens/{token}/payouts/1/push", new { }, "push-again-" + token);
        Assert.NotEqual(pushId, again);
        JsonElement rerun = await app.WaitCompletedAsync(again);
        Assert.Equal(batches.Select(b => b.GetProperty("hash").GetString()), rerun.GetProperty("output").GetProperty("transactions").EnumerateArray().Select(b => b.GetProperty("hash").GetString()));
        Assert.Equal(nonceAfterPush, await app.IssuerNonceAsync());
        Assert.Equal(expected, await StablecoinBalancesAsync(asset, holders));

        // Reclaim: refused while claims are open, then returns exactly the dust.
        using (HttpResponseMessage early = await app.PostJsonAsync($"/api/tokens/{token}/payouts/1/reclaim", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
            Assert.Contains("can be claimed until", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await app.Anvil.RpcAsync("evm_increaseTime", 3601);
        await app.Anvil.RpcAsync("evm_mine");
        BigInteger issuerBefore = (await StablecoinBalancesAsync(asset, [app.Issuer]))[0];
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts/1/reclaim", new { }));
        BigInteger dust = amount - expected.Aggregate(BigInteger.Add);
        Assert.Equal(issuerBefore + dust, (await StablecoinBalancesAsync(asset, [app.Issuer]))[0]);
        Assert.Equal(BigInteger.Zero, (await StablecoinBalancesAsync(asset, [distributor]))[0]);
    }

    [Fact]
    public async Task SecondPayoutOnTheSameToken_AdoptsTheDistributor_AndSendsOnlyApproveAndCreate()
    {
        Address token = await app.IssueAsync("1000");
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "one", to = Holder300, amount = "250" }));
        (ulong snapshotId, _) = await SnapshotAsync(token);
        Address asset = await DeployStablecoinAsync(UInt256.Parse("100000000"));
        var body = new { asset = asset.ToString(), amount = "10", snapshotId, claimDeadline = await ChainTimeAsync() + 3600, excluded = new[] { app.Issuer.ToString() } };
        JsonElement first = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts", body));
        ulong nonce = await app.IssuerNonceAsync();

        JsonElement second = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts", body));

        Assert.Equal(nonce + 2, await app.IssuerNonceAsync());
        Assert.Equal(first.GetProperty("output").GetProperty("payoutDistributor").GetString(), second.GetProperty("output").GetProperty("payoutDistributor").GetString());
        Assert.Equal(first.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString(), second.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString());
        using JsonDocument list = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/payouts"));
        Assert.Equal([1UL, 2UL], list.RootElement.GetProperty("payouts").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()));
        Assert.All(list.RootElement.GetProperty("payouts").EnumerateArray(), p => Assert.Equal("250000000000000000000", p.GetProperty("baseRaw").GetString()));
    }

    [Fact]
    public async Task DirectPayoutOf100EtherOver300And500Of9999_PaysStosExactWei_AndARerunPaysNobodyTwice()
    {
        Address token = await app.IssueAsync("9999");
        var rows = new[] { new { externalId = "TX-01", address = Holder300, amount = "300" }, new { externalId = "TX-02", address = Holder500, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        ulong atBlock = await app.Rpc.GetBlockNumberAsync();
        UInt256 before300 = await app.Rpc.GetBalanceAsync(Address.Parse(Holder300));
        UInt256 before500 = await app.Rpc.GetBalanceAsync(Address.Parse(Holder500));

        var body = new { externalId = "dividend-" + token, asset = "ETH", amount = "100", atBlock };
        JsonElement status = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/direct-payouts", body));
        Assert.Equal(2, status.GetProperty("output").GetProperty("transactions").GetArrayLength());
        Assert.Equal(before300 + UInt256.Parse("3000300030003000300"), await app.Rpc.GetBalanceAsync(Address.Parse(Holder300)));
        Assert.Equal(before500 + UInt256.Parse("5000500050005000500"), await app.Rpc.GetBalanceAsync(Address.Parse(Holder500)));

        ulong nonce = await app.IssuerNonceAsync();
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/direct-payouts", body, "direct-again-" + token));
        Assert.Equal(nonce, await app.IssuerNonceAsync());
        Assert.Equal(before300 + UInt256.Parse("3000300030003000300"), await app.Rpc.GetBalanceAsync(Address.Parse(Holder300)));
    }

    [Fact]
    public async Task DirectErc20PayoutWithAHolderExcluded_SplitsOverTheRestOfTheSupply()
    {
        Address token = await app.IssueAsync("1000");
        var rows = new[] { new { externalId = "a", address = Holder300, amount = "300" }, new { externalId = "b", address = Holder500, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        Address asset = await DeployStablecoinAsync(UInt256.Parse("1000000000"));
        ulong atBlock = await app.Rpc.GetBlockNumberAsync();

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/direct-payouts",
            new { externalId = "usd-1", asset = asset.ToString(), amount = "7", atBlock, excluded = new[] { Holder500 } }));

        // Base 1000 − 500 = 500: the holder of 300 gets 7 × 300 / 500 = 4.2 TUSD, the issuer's 200 stays with it.
        Assert.Equal([BigInteger.Parse("4200000", CultureInfo.InvariantCulture), BigInteger.Zero], await StablecoinBalancesAsync(asset, [Address.Parse(Holder300), Address.Parse(Holder500)]));
    }

    [Fact]
    public async Task ATransferWithTheOldDirectPayoutKeyAsExternalId_DoesNotTakeTheHoldersPayment_AndTheHolderIsPaid()
    {
        // Before direct-payout keys moved under {token}/!…, this transfer's key was the key of the payout's payment to
        // Holder300: the payout adopted the transfer's nonce and Holder300 got no ether.
        Address token = await app.IssueAsync("1000");
        var rows = new[] { new { externalId = "a", address = Holder300, amount = "300" }, new { externalId = "b", address = Holder500, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        string oldKeyId = $"direct-payout/div-{token.ToLowerHex()[2..10]}/{Address.Parse(Holder300).ToLowerHex()}";
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = oldKeyId, to = Holder300, amount = "1" }));
        ulong atBlock = await app.Rpc.GetBlockNumberAsync();
        UInt256 before300 = await app.Rpc.GetBalanceAsync(Address.Parse(Holder300));
        UInt256 before500 = await app.Rpc.GetBalanceAsync(Address.Parse(Holder500));

        JsonElement status = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/direct-payouts",
            new { externalId = $"div-{token.ToLowerHex()[2..10]}", asset = "ETH", amount = "100", atBlock }));

        // 100 ether over 301 and 500 of 1,000 (the issuer's 199 stay in the base).
        Assert.Equal(2, status.GetProperty("output").GetProperty("transactions").GetArrayLength());
        Assert.Equal(before300 + UInt256.Parse("30100000000000000000"), await app.Rpc.GetBalanceAsync(Address.Parse(Holder300)));
        Assert.Equal(before500 + UInt256.Parse("50000000000000000000"), await app.Rpc.GetBalanceAsync(Address.Parse(Holder500)));
    }

    [Fact]
    public async Task ADirectPayoutPlannedUnderTheOldKey_IsAdoptedAfterTheKeysMoved_AndARepostPaysNobodyTwice()
    {
        Address token = await app.IssueAsync("1000");
        Address asset = await DeployStablecoinAsync(UInt256.Parse("1000000000"));
        var rows = new[] { new { externalId = "a", address = Holder300, amount = "300" }, new { externalId = "b", address = Holder500, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        ulong atBlock = await app.Rpc.GetBlockNumberAsync();
        var body = new { externalId = "legacy-usd", asset = asset.ToString(), amount = "10", atBlock };
        JsonElement first = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/direct-payouts", body));

        // Make the ledger look as a version before the move left it: each payment's idempotency row under the old key.
        var ledger = app.Platform.LedgerRows;
        string partition = app.Platform.Lane.PartitionKey;
        foreach (string holder in new[] { Holder300, Holder500 })
        {
            string current = StoFunctions.Functions.Payouts.DirectPayout.BusinessKey(token, "legacy-usd", Address.Parse(holder));
            string legacy = StoFunctions.Functions.Payouts.DirectPayout.LegacyBusinessKey(token, "legacy-usd", Address.Parse(holder));
            string currentRow = StoFunctions.Pipeline.Commands.CommandKeys.BusinessKeyRow(current);
            var row = (await ledger.GetEntityAsync<global::Azure.Data.Tables.TableEntity>(partition, currentRow)).Value;
            await ledger.AddEntityAsync(new global::Azure.Data.Tables.TableEntity(partition, StoFunctions.Pipeline.Commands.CommandKeys.BusinessKeyRow(legacy))
            {
                ["Nonce"] = row.GetInt64("Nonce"),
                ["CommandId"] = row.GetString("CommandId"),
                ["BusinessKey"] = legacy,
            });
            await ledger.DeleteEntityAsync(partition, currentRow);
        }

        ulong nonce = await app.IssuerNonceAsync();
        BigInteger[] paid = await StablecoinBalancesAsync(asset, [Address.Parse(Holder300), Address.Parse(Holder500)]);
        Assert.Equal([BigInteger.Parse("3000000", CultureInfo.InvariantCulture), BigInteger.Parse("5000000", CultureInfo.InvariantCulture)], paid);

        JsonElement again = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/direct-payouts", body, "legacy-again-" + token));

        Assert.Equal(nonce, await app.IssuerNonceAsync());
        Assert.Equal(paid, await StablecoinBalancesAsync(asset, [Address.Parse(Holder300), Address.Parse(Holder500)]));
        Assert.Equal(
            first.GetProperty("output").GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("hash").GetString()),
            again.GetProperty("output").GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("hash").GetString()));
    }

    [Fact]
    public async Task PayoutAndBallotListItems_CarryTheDistributorAndBallotContract_OfTheCommandOutputsAndSingleReads()
    {
        Address token = await app.IssueAsync("1000");
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "lists", to = Holder300, amount = "250" }));
        (ulong snapshotId, _) = await SnapshotAsync(token);
        Address asset = await DeployStablecoinAsync(UInt256.Parse("100000000"));
        JsonElement payout = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts",
            new { asset = asset.ToString(), amount = "10", snapshotId, claimDeadline = await ChainTimeAsync() + 3600, excluded = new[] { app.Issuer.ToString() } }));
        JsonElement ballot = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/ballots", new { snapshotId, options = 2, end = await ChainTimeAsync() + 3600 }));
        string distributor = payout.GetProperty("output").GetProperty("payoutDistributor").GetString()!;
        string ballotContract = ballot.GetProperty("output").GetProperty("ballotContract").GetString()!;

        using (JsonDocument payouts = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/payouts")))
        using (JsonDocument one = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/payouts/1")))
        {
            JsonElement item = Assert.Single(payouts.RootElement.GetProperty("payouts").EnumerateArray());
            Assert.Equal(distributor, item.GetProperty("distributor").GetString());
            Assert.Equal(distributor, payouts.RootElement.GetProperty("distributor").GetString());
            Assert.Equal(distributor, one.RootElement.GetProperty("distributor").GetString());
        }

        using (JsonDocument ballots = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/ballots")))
        using (JsonDocument one = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/ballots/1")))
        {
            JsonElement item = Assert.Single(ballots.RootElement.GetProperty("ballots").EnumerateArray());
            Assert.Equal(ballotContract, item.GetProperty("ballotContract").GetString());
            Assert.Equal(ballotContract, ballots.RootElement.GetProperty("ballotContract").GetString());
            Assert.Equal(ballotContract, one.RootElement.GetProperty("ballotContract").GetString());
        }
    }

    [Fact]
    public async Task BallotOnASnapshot_WeighsVotesSentByHoldersBySnapshotBalances_AndResultsAreReadBack()
    {
        Address token = await app.IssueAsync("1000");
        string voter1 = AnvilAccounts.Addresses[1], voter2 = AnvilAccounts.Addresses[2];
        var rows = new[] { new { externalId = "v1", address = voter1, amount = "300" }, new { externalId = "v2", address = voter2, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        (ulong snapshotId, _) = await SnapshotAsync(token);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "late", to = voter1, amount = "100" }));

        ulong end = await ChainTimeAsync() + 3600;
        JsonElement created = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/ballots",
            new { snapshotId, options = 3, end, uri = "https://example.com/agm-2027.pdf" }));
        Address ballot = Address.Parse(created.GetProperty("output").GetProperty("ballotContract").GetString()!);

        Assert.True(await SendFromAsync(voter1, ballot, BallotContract.Vote(1, 2)));
        Assert.True(await SendFromAsync(voter2, ballot, BallotContract.Vote(1, 0)));
        Assert.False(await SendFromAsync(voter2, ballot, BallotContract.Vote(1, 1)));

        using JsonDocument doc = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/ballots/1"));
        JsonElement root = doc.RootElement;
        Assert.Equal(ballot.ToString(), root.GetProperty("ballotContract").GetString());
        Assert.Equal(snapshotId, root.GetProperty("snapshotId").GetUInt64());
        Assert.Equal(["500", "0", "300"], root.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("votes").GetString()));
        Assert.Equal("800", root.GetProperty("votes").GetString());
        Assert.Equal("https://example.com/agm-2027.pdf", root.GetProperty("uri").GetString());
    }

    [Fact]
    public async Task ATransferWithExternalIdBallot_DoesNotTakeTheBallotDeploymentKey_AndTheBallotIsOpenedOnARealBallotContract()
    {
        Address token = await app.IssueAsync("1000");
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "ballot", to = Holder300, amount = "300" }));
        (ulong snapshotId, _) = await SnapshotAsync(token);

        JsonElement created = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/ballots", new { snapshotId, options = 2, end = await ChainTimeAsync() + 3600 }));

        Address ballot = Address.Parse(created.GetProperty("output").GetProperty("ballotContract").GetString()!);
        Assert.NotEmpty(await app.Rpc.GetCodeAsync(ballot));
        Assert.Equal(token, BallotContract.DecodeToken(await app.Rpc.CallAsync(new CallRequest { To = ballot, Data = BallotContract.Token() })));
        Assert.Equal(UInt256.One, BallotContract.DecodeBallotCount(await app.Rpc.CallAsync(new CallRequest { To = ballot, Data = BallotContract.BallotCount() })));
        Assert.Equal(UInt256.Parse("300000000000000000000"), await app.BalanceAsync(token, Holder300));
    }

    [Fact]
    public async Task ATransferWithExternalIdPayoutDistributor_DoesNotTakeTheDistributorKey_AndThePayoutIsCreatedOnARealDistributor()
    {
        Address token = await app.IssueAsync("1000");
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "payout-distributor", to = Holder500, amount = "500" }));
        (ulong snapshotId, _) = await SnapshotAsync(token);
        Address asset = await DeployStablecoinAsync(UInt256.Parse("1000000000"));

        JsonElement created = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts",
            new { asset = asset.ToString(), amount = "100", snapshotId, claimDeadline = await ChainTimeAsync() + 3600 }));

        Address distributor = Address.Parse(created.GetProperty("output").GetProperty("payoutDistributor").GetString()!);
        Assert.NotEmpty(await app.Rpc.GetCodeAsync(distributor));
        Assert.Equal(token, PayoutDistributorContract.DecodeToken(await app.Rpc.CallAsync(new CallRequest { To = distributor, Data = PayoutDistributorContract.Token() })));
        Assert.Equal(UInt256.One, PayoutDistributorContract.DecodePayoutCount(await app.Rpc.CallAsync(new CallRequest { To = distributor, Data = PayoutDistributorContract.PayoutCount() })));
        Assert.Equal(UInt256.Parse("100000000"), TestStablecoinContract.DecodeBalanceOf(await app.Rpc.CallAsync(new CallRequest { To = asset, Data = TestStablecoinContract.BalanceOf(distributor) })));
    }

    [Fact]
    public async Task ABallotKeyThatHoldsATransfersNonce_RefusesTheBallotCommandWith409BeforeSendingAnything()
    {
        // A ledger whose ballot key points at a nonce that is not a Ballot deployment (e.g. written by hand or by
        // an older version): adopting it would send createBallot to an address without code.
        Address token = await app.IssueAsync("1000");
        JsonElement transfer = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "plain-transfer", to = Holder300, amount = "1" }));
        long transferNonce = transfer.GetProperty("output").GetProperty("transactions")[0].GetProperty("nonce").GetInt64();
        await app.Platform.LedgerRows.AddEntityAsync(new global::Azure.Data.Tables.TableEntity(app.Platform.Lane.PartitionKey, StoFunctions.Pipeline.Commands.CommandKeys.BusinessKeyRow(token.ToLowerHex() + "/!ballot"))
        {
            ["Nonce"] = transferNonce,
            ["CommandId"] = "hand-written",
            ["BusinessKey"] = token.ToLowerHex() + "/!ballot",
        });
        (ulong snapshotId, _) = await SnapshotAsync(token);
        ulong nonceBefore = await app.IssuerNonceAsync();

        using HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/ballots", new { snapshotId, options = 2, end = await ChainTimeAsync() + 3600 });

        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.Contains("is not a ballot deployment", problem.RootElement.GetProperty("errors").GetProperty("token")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(nonceBefore, await app.IssuerNonceAsync());
    }

    [Fact]
    public async Task AnExternalIdInTheServicesReservedNamespace_IsRefusedWith400_AndNothingIsSent()
    {
        Address token = await app.IssueAsync("1000");
        ulong nonceBefore = await app.IssuerNonceAsync();

        using HttpResponseMessage response = await app.PostJsonAsync($"/api/tokens/{token}/transfers", new { externalId = "!ballot", to = Holder300, amount = "1" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("reserved", problem.RootElement.GetProperty("errors").GetProperty("externalId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(nonceBefore, await app.IssuerNonceAsync());
    }

    [Fact]
    public async Task SnapshotPayoutAndBallotCommands_CarryTheIdsFromTheirEventsInTheirOutput()
    {
        Address token = await app.IssueAsync("1000");
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "ids", to = Holder300, amount = "250" }));
        (ulong firstSnapshot, _) = await SnapshotAsync(token);
        JsonElement second = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/snapshots", new { }));
        Assert.Equal(firstSnapshot + 1, second.GetProperty("output").GetProperty("snapshotId").GetUInt64());

        Address asset = await DeployStablecoinAsync(UInt256.Parse("100000000"));
        var body = new { asset = asset.ToString(), amount = "10", snapshotId = firstSnapshot, claimDeadline = await ChainTimeAsync() + 3600, excluded = new[] { app.Issuer.ToString() } };
        JsonElement payout1 = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts", body));
        JsonElement payout2 = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/payouts", body));
        Assert.Equal(1UL, payout1.GetProperty("output").GetProperty("payoutId").GetUInt64());
        Assert.Equal(2UL, payout2.GetProperty("output").GetProperty("payoutId").GetUInt64());

        var ballot = new { snapshotId = firstSnapshot, options = 2, end = await ChainTimeAsync() + 3600 };
        JsonElement ballot1 = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/ballots", ballot));
        JsonElement ballot2 = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/ballots", ballot));
        Assert.Equal(1UL, ballot1.GetProperty("output").GetProperty("ballotId").GetUInt64());
        Assert.Equal(2UL, ballot2.GetProperty("output").GetProperty("ballotId").GetUInt64());
    }

    [Fact]
    public async Task IsinDocumentsAndAnnouncements_AreWrittenAndReadBack_AndADocumentIsRemoved()
    {
        Address token = await app.IssueAsync("1");
        string hash = "0x" + new string('a', 64);
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/information", new { isin = "FI0009000681" }));
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/documents", new { name = "prospectus", uri = "https://example.com/p.pdf", hash }));
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/announcements", new { name = "AGM 2027", uri = "https://example.com/agm", kind = 2, contentHash = hash }));

        using (JsonDocument docs = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/documents")))
        {
            Assert.Equal("FI0009000681", docs.RootElement.GetProperty("isin").GetString());
            Assert.Equal("https://tokenmarket.net", docs.RootElement.GetProperty("url").GetString());
            JsonElement document = docs.RootElement.GetProperty("documents").EnumerateArray().Single();
            Assert.Equal("prospectus", document.GetProperty("name").GetString());
            Assert.Equal("https://example.com/p.pdf", document.GetProperty("uri").GetString());
            Assert.Equal(hash, document.GetProperty("hash").GetString());
        }

        using (JsonDocument news = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/announcements")))
        {
            JsonElement announcement = news.RootElement.GetProperty("announcements").EnumerateArray().Single();
            Assert.Equal(("AGM 2027", "2", "https://example.com/agm", 1UL), (announcement.GetProperty("name").GetString(), announcement.GetProperty("kind").GetString(), announcement.GetProperty("uri").GetString(), announcement.GetProperty("id").GetUInt64()));
        }

        using HttpResponseMessage delete = await app.Client.DeleteAsync($"/api/tokens/{token}/documents/prospectus");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await app.WaitCompletedAsync(JsonDocument.Parse(await delete.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
        using JsonDocument after = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/documents"));
        Assert.Empty(after.RootElement.GetProperty("documents").EnumerateArray());
    }

    [Fact]
    public async Task BadCorporateActionRequests_Are4xxProblemDetails_AndPlanNothing()
    {
        Address token = await app.IssueAsync("1000");
        (ulong snapshotId, _) = await SnapshotAsync(token);
        Address asset = await DeployStablecoinAsync(UInt256.Parse("1000000"));
        ulong now = await ChainTimeAsync();
        string unknown = "0x1111111111111111111111111111111111111111";
        string badChecksum = "0x0BDcc26C4B8077374ba9DB82164B77d6885b92a6";
        string Payout(string amount = "\"1\"", string? deadline = null, string extra = "") =>
            $"{{\"asset\":\"{asset}\",\"amount\":{amount},\"snapshotId\":{snapshotId},\"claimDeadline\":{deadline ?? (now + 3600).ToString(CultureInfo.InvariantCulture)}{extra}}}";
        var cases = new (string Name, string Method, string Path, string? Body, int Status, string? Field)[]
        {
            ("snapshot: unknown token", "POST", $"tokens/{unknown}/snapshots", "{}", 400, "token"),
            ("snapshot: unknown member", "POST", $"tokens/{token}/snapshots", "{\"now\":true}", 400, "now"),
            ("snapshots: not a token", "GET", $"tokens/{unknown}/snapshots", null, 404, null),
            ("payout: unknown token", "POST", $"tokens/{unknown}/payouts", Payout(), 400, "token"),
            ("payout: token not an address", "POST", "tokens/0x12/payouts", Payout(), 400, "token"),
            ("payout: asset with bad checksum", "POST", $"tokens/{token}/payouts", Payout().Replace(asset.ToString(), badChecksum, StringComparison.Ordinal), 400, "asset"),
            ("payout: asset is no token", "POST", $"tokens/{token}/payouts", Payout().Replace(asset.ToString(), unknown, StringComparison.Ordinal), 400, "asset"),
            ("payout: negative amount", "POST", $"tokens/{token}/payouts", Payout("\"-1\""), 400, "amount"),
            ("payout: oversized amount", "POST", $"tokens/{token}/payouts", Payout("\"" + new string('9', 90) + "\""), 400, "amount"),
            ("payout: amount as a number", "POST", $"tokens/{token}/payouts", Payout("1"), 400, "amount"),
            ("payout: too precise for 6 decimals", "POST", $"tokens/{token}/payouts", Payout("\"0.0000001\""), 400, "amount"),
            ("payout: more than the issuer holds", "POST", $"tokens/{token}/payouts", Payout("\"2\""), 400, "amount"),
            ("payout: deadline in the past", "POST", $"tokens/{token}/payouts", Payout(deadline: "\"2020-01-01T00:00:00Z\""), 400, "claimDeadline"),
            ("payout: deadline not a time", "POST", $"tokens/{token}/payouts", Payout(deadline: "\"soon\""), 400, "claimDeadline"),
            ("payout: snapshot missing", "POST", $"tokens/{token}/payouts", $"{{\"asset\":\"{asset}\",\"amount\":\"1\",\"claimDeadline\":{now + 3600}}}", 400, "snapshotId"),
            ("payout: snapshot not taken", "POST", $"tokens/{token}/payouts", Payout().Replace($"\"snapshotId\":{snapshotId}", "\"snapshotId\":99", StringComparison.Ordinal), 400, "snapshotId"),
            ("payout: excluded twice", "POST", $"tokens/{token}/payouts", Payout(extra: $",\"excluded\":[\"{Holder300}\",\"{Holder300}\"]"), 400, "excluded[1]"),
            ("payout: excluded not an array", "POST", $"tokens/{token}/payouts", Payout(extra: $",\"excluded\":\"{Holder300}\""), 400, "excluded"),
            ("payout: everybody excluded", "POST", $"tokens/{token}/payouts", Payout(extra: $",\"excluded\":[\"{app.Issuer}\"]"), 400, "excluded"),
            ("payout: unknown member", "POST", $"tokens/{token}/payouts", Payout(extra: ",\"memo\":1"), 400, "memo"),
            ("payout: fields missing", "POST", $"tokens/{token}/payouts", "{}", 400, "asset"),
            ("push: no distributor", "POST", $"tokens/{token}/payouts/1/push", "{}", 400, "token"),
            ("push: id not a number", "POST", $"tokens/{token}/payouts/abc/push", "{}", 400, "payoutId"),
            ("reclaim: no distributor", "POST", $"tokens/{token}/payouts/1/reclaim", "{}", 400, "token"),
            ("reclaim: bad to", "POST", $"tokens/{token}/payouts/1/reclaim", "{\"to\":\"0x12\"}", 400, "to"),
            ("payouts: none yet", "GET", $"tokens/{token}/payouts", null, 404, null),
            ("payout: id not a number", "GET", $"tokens/{token}/payouts/abc", null, 400, "payoutId"),
            ("direct: asset unknown", "POST", $"tokens/{token}/direct-payouts", "{\"externalId\":\"x\",\"asset\":\"BTC\",\"amount\":\"1\",\"atBlock\":1}", 400, "asset"),
            ("direct: block in the future", "POST", $"tokens/{token}/direct-payouts", "{\"externalId\":\"x\",\"asset\":\"ETH\",\"amount\":\"1\",\"atBlock\":99999999}", 400, "atBlock"),
            ("direct: zero amount", "POST", $"tokens/{token}/direct-payouts", "{\"externalId\":\"x\",\"asset\":\"ETH\",\"amount\":\"0\",\"atBlock\":1}", 400, "amount"),
            ("direct: externalId missing", "POST", $"tokens/{token}/direct-payouts", "{\"asset\":\"ETH\",\"amount\":\"1\",\"atBlock\":1}", 400, "externalId"),
            ("direct: only the issuer holds", "POST", $"tokens/{token}/direct-payouts", "{\"externalId\":\"x\",\"asset\":\"ETH\",\"amount\":\"1\",\"atBlock\":" + (await app.Rpc.GetBlockNumberAsync()).ToString(CultureInfo.InvariantCulture) + "}", 400, "amount"),
            ("ballot: one option", "POST", $"tokens/{token}/ballots", $"{{\"snapshotId\":{snapshotId},\"options\":1,\"end\":{now + 3600}}}", 400, "options"),
            ("ballot: end in the past", "POST", $"tokens/{token}/ballots", $"{{\"snapshotId\":{snapshotId},\"options\":2,\"end\":\"2020-01-01T00:00:00Z\"}}", 400, "end"),
            ("ballot: start after end", "POST", $"tokens/{token}/ballots", $"{{\"snapshotId\":{snapshotId},\"options\":2,\"start\":{now + 7200},\"end\":{now + 3600}}}", 400, "start"),
            ("ballot: snapshot 0", "POST", $"tokens/{token}/ballots", $"{{\"snapshotId\":0,\"options\":2,\"end\":{now + 3600}}}", 400, "snapshotId"),
            ("ballots: none yet", "GET", $"tokens/{token}/ballots", null, 404, null),
            ("information: bad ISIN check digit", "POST", $"tokens/{token}/information", "{\"isin\":\"US0378331004\"}", 400, "isin"),
            ("document: name over 32 bytes", "POST", $"tokens/{token}/documents", "{\"name\":\"" + new string('n', 33) + "\",\"uri\":\"u\"}", 400, "name"),
            ("document: bad hash", "POST", $"tokens/{token}/documents", "{\"name\":\"n\",\"uri\":\"u\",\"hash\":\"0x12\"}", 400, "hash"),
            ("document: remove unknown", "DELETE", $"tokens/{token}/documents/nothing", null, 400, "name"),
            ("announcement: uri missing", "POST", $"tokens/{token}/announcements", "{\"name\":\"n\"}", 400, "uri"),
        };

        int commands = await app.CountRowsAsync("commands");
        int ledger = await app.CountRowsAsync("ledger");
        foreach ((string name, string method, string path, string? body, int status, string? field) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/api/" + path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = await app.Client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using JsonDocument problem = JsonDocument.Parse(text);
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()), name);
            if (field is not null)
            {
                Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{name}: no error for {field} in {text}");
            }
        }

        Assert.Equal(commands, await app.CountRowsAsync("commands"));
        Assert.Equal(ledger, await app.CountRowsAsync("ledger"));
    }

    [Fact]
    public async Task SnapshotCommandFromTheQueue_IsTheSameCommandAsOverHttp()
    {
        Address token = await app.IssueAsync("1");
        string key = "queued-snapshot-" + token;
        var queues = StoFunctions.Azure.Storage.StorageAccount.FromConnectionString(app.Azurite.ConnectionString).Queues;
        await queues.GetQueueClient("sto-commands").SendMessageAsync(JsonSerializer.Serialize(new { command = "snapshot", idempotencyKey = key, payload = new { token = token.ToString() } }));
        string id = StoFunctions.Pipeline.Commands.CommandKeys.IdFor(key);
        for (int i = 0; (await app.Client.GetAsync("/api/commands/" + id)).StatusCode == HttpStatusCode.NotFound; i++)
        {
            Assert.True(i < 100, "the queued snapshot command did not appear");
            await Task.Delay(100);
        }

        JsonElement status = await app.WaitCompletedAsync(id);
        Assert.Equal("snapshot", status.GetProperty("name").GetString());
        Assert.Equal(id, await app.SubmitAsync($"/api/tokens/{token}/snapshots", new { }, key));
        using JsonDocument list = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/snapshots"));
        Assert.Equal(1UL, list.RootElement.GetProperty("currentSnapshotId").GetUInt64());
    }

    private static Address HolderAddress(int i) => Address.FromBytes(Keccak256.Hash(Encoding.UTF8.GetBytes("corporate-actions-holder-" + i.ToString(CultureInfo.InvariantCulture))).ToArray().AsSpan(12));

    private async Task<(ulong Id, string Hash)> SnapshotAsync(Address token)
    {
        JsonElement status = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/snapshots", new { }));
        string hash = status.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString()!;
        using JsonDocument list = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}/snapshots"));
        JsonElement snapshot = list.RootElement.GetProperty("snapshots").EnumerateArray().Single(s => s.GetProperty("transactionHash").GetString() == hash);
        Assert.Equal(list.RootElement.GetProperty("currentSnapshotId").GetUInt64(), snapshot.GetProperty("id").GetUInt64());
        return (snapshot.GetProperty("id").GetUInt64(), hash);
    }

    private async Task<ulong> ChainTimeAsync() => (await app.Rpc.GetBlockByNumberAsync(BlockParameter.Latest))!.Timestamp;

    // Deployed by anvil account 1 (never the app's signer, whose nonces belong to the lane); anyone may mint it.
    private async Task<Address> DeployStablecoinAsync(UInt256 toIssuer)
    {
        string deployer = AnvilAccounts.Addresses[1];
        Hash32 hash = Hash32.Parse((await app.Anvil.RpcAsync("eth_sendTransaction", new { from = deployer, data = Hex.Encode(TestStablecoinContract.Deploy()), gas = "0x300000" })).GetString()!);
        Address asset = (await AnvilProcess.WaitForReceiptAsync(app.Rpc, hash)).ContractAddress!.Value;
        Assert.True(await SendFromAsync(deployer, asset, TestStablecoinContract.Mint(app.Issuer, toIssuer)));
        return asset;
    }

    private async Task<bool> SendFromAsync(string from, Address to, byte[] data)
    {
        Hash32 hash = Hash32.Parse((await app.Anvil.RpcAsync("eth_sendTransaction", new { from, to = to.ToString(), data = Hex.Encode(data), gas = "0x200000" })).GetString()!);
        return (await AnvilProcess.WaitForReceiptAsync(app.Rpc, hash)).Succeeded;
    }

    private async Task<BigInteger[]> StablecoinBalancesAsync(Address asset, IReadOnlyList<Address> holders)
    {
        var balances = new BigInteger[holders.Count];
        for (int offset = 0; offset < holders.Count; offset += 100)
        {
            JsonRpcBatch batch = app.Rpc.CreateBatch();
            Task<byte[]?>[] calls = [.. holders.Skip(offset).Take(100).Select(h => batch.Add<byte[]>("eth_call", new CallRequest { To = asset, Data = TestStablecoinContract.BalanceOf(h) }, BlockParameter.Latest))];
            await batch.SendAsync();
            for (int i = 0; i < calls.Length; i++)
            {
                balances[offset + i] = TestStablecoinContract.DecodeBalanceOf((await calls[i])!);
            }
        }

        return balances;
    }
}
