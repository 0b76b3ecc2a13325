using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Cli;

/// <summary>
/// The read commands end to end (<c>sto</c> in process, the real app on Azurite and anvil): frozen addresses,
/// attached modules, KYC entries with paging and a holder's balance history. Expected values come from what each
/// test did on chain.
/// </summary>
public sealed class StoReadTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string Holder300 = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Holder500 = "0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2";

    private readonly StoConsole _sto = new(app);

    [Fact]
    public async Task TokenFrozen_AfterFreezingTwoHoldersAndUnfreezingOne_ListsOnlyTheStillFrozenOne_WithItsFreezeTransaction()
    {
        string token = (await app.IssueAsync("1000")).ToString();
        var rows = new[] { new { externalId = "f1", address = Holder300, amount = "300" }, new { externalId = "f2", address = Holder500, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        StoRun frozen300 = await _sto.RunAsync("--json", "freeze", "--token", token, "--address", Holder300);
        Assert.True(frozen300.ExitCode == 0, frozen300.ToString());
        Assert.Equal(0, (await _sto.RunAsync("freeze", "--token", token, "--address", Holder500)).ExitCode);
        Assert.Equal(0, (await _sto.RunAsync("freeze", "--token", token, "--address", Holder500, "--unfreeze")).ExitCode);

        StoRun listed = await _sto.RunAsync("--json", "token-frozen", "--token", token);

        Assert.True(listed.ExitCode == 0, listed.ToString());
        JsonElement entry = Assert.Single(listed.Json().GetProperty("frozen").EnumerateArray());
        Assert.Equal(Holder300, entry.GetProperty("address").GetString());
        Assert.True(entry.GetProperty("frozen").GetBoolean());
        Assert.Equal("0", entry.GetProperty("frozenTokens").GetString());
        string freezeHash = frozen300.Json().GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString()!;
        Assert.Equal(freezeHash, entry.GetProperty("transactionHash").GetString());
        StoRun human = await _sto.RunAsync("token-frozen", "--token", token);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains(Holder300, human.Out);
        Assert.DoesNotContain(Holder500, human.Out);
    }

    [Fact]
    public async Task TokenFrozen_AfterAFrozenWalletIsRecovered_ListsTheNewWalletOnly_AlthoughTheLostWalletsLastEventFrozeIt()
    {
        string token = (await app.IssueAsync("1000")).ToString();
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows = new[] { new { externalId = "r1", address = Holder300, amount = "300" } } }));
        Assert.Equal(0, (await _sto.RunAsync("freeze", "--token", token, "--address", Holder300)).ExitCode);
        string fresh = AnvilAccounts.Addresses[6];
        StoRun recovered = await _sto.RunAsync("--json", "recover", "--token", token, "--lost-wallet", Holder300, "--new-wallet", fresh);
        Assert.True(recovered.ExitCode == 0, recovered.ToString());

        StoRun listed = await _sto.RunAsync("--json", "token-frozen", "--token", token);

        Assert.True(listed.ExitCode == 0, listed.ToString());
        // The recovery clears the lost wallet's freeze without an unfreeze event: only the chain's state tells.
        JsonElement entry = Assert.Single(listed.Json().GetProperty("frozen").EnumerateArray());
        Assert.Equal(fresh, entry.GetProperty("address").GetString());
        Assert.Equal(recovered.Json().GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString(), entry.GetProperty("transactionHash").GetString());
    }

    [Fact]
    public async Task TokenFrozen_OfAnAddressWithoutContract_Exits2NamingTheToken()
    {
        StoRun run = await _sto.RunAsync("token-frozen", "--token", AnvilAccounts.Addresses[8]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("token: No contract at this address.", run.Error);
    }

    [Fact]
    public async Task TokenModules_AfterAttachingAModule_ListsItsHooksAndPermissions_WithTheTokensGrant()
    {
        Address token = await app.IssueAsync("1000");
        Address entity = await app.LinkEntityAsync(token);
        byte[] mint = Keccak256.Hash("mint(address,uint256)"u8).ToArray()[..4];
        byte[] checkTransfer = Keccak256.Hash("checkTransfer(address[2],bytes32,bytes32[2],uint8[2],uint16[2],uint256)"u8).ToArray()[..4];
        // Deployed by another dev account, so the issuer's lane and ledger see nothing of it.
        string deployHash = await app.Anvil.SendTransactionAndWaitAsync(new { from = AnvilAccounts.Addresses[7], data = Hex.Encode(TestModuleContract.Deploy(token, [mint], [checkTransfer])) });
        Address module = (await app.Rpc.GetTransactionReceiptAsync(Hash32.Parse(deployHash)))!.ContractAddress!.Value;
        JsonElement attached = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/modules", new { module = module.ToString(), permissions = new[] { "mint(address,uint256)" } }));

        StoRun listed = await _sto.RunAsync("--json", "token-modules", "--token", token.ToString());

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(entity.ToString(), listed.Json().GetProperty("issuingEntity").GetString());
        JsonElement entry = Assert.Single(listed.Json().GetProperty("modules").EnumerateArray());
        Assert.Equal((module.ToString(), "token"), (entry.GetProperty("address").GetString(), entry.GetProperty("level").GetString()));
        JsonElement hook = Assert.Single(entry.GetProperty("hooks").EnumerateArray());
        Assert.Equal(Hex.Encode(checkTransfer), hook.GetProperty("selector").GetString());
        Assert.Equal(("checkTransfer(address[2],bytes32,bytes32[2],uint8[2],uint16[2],uint256)", "STModule.checkTransfer"), (hook.GetProperty("signature").GetString(), hook.GetProperty("name").GetString()));
        JsonElement permission = Assert.Single(entry.GetProperty("permissions").EnumerateArray());
        Assert.Equal("mint(address,uint256)", permission.GetProperty("signature").GetString());
        Assert.True(permission.GetProperty("granted").GetBoolean());
        Assert.Equal(attached.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString(), entry.GetProperty("attachedTransaction").GetString());
    }

    [Fact]
    public async Task KycList_WithLimitOne_PagesThroughEveryAddressStillSet_InAddressOrder_AndLeavesOutClearedAndOtherKeys()
    {
        StoRun deployed = await _sto.RunAsync("--json", "kyc-deploy");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        string registry = deployed.Json().GetProperty("output").GetProperty("registryAddress").GetString()!;
        string[] whitelisted = [AnvilAccounts.Addresses[1], AnvilAccounts.Addresses[2], AnvilAccounts.Addresses[3]];
        Assert.Equal(0, (await _sto.RunAsync("kyc-manage", "--registry", registry, "--address", whitelisted[0], "--address", whitelisted[1], "--address", whitelisted[2])).ExitCode);
        Assert.Equal(0, (await _sto.RunAsync("kyc-manage", "--registry", registry, "--address", whitelisted[1], "--value", ulong.MaxValue.ToString(CultureInfo.InvariantCulture))).ExitCode);
        Assert.Equal(0, (await _sto.RunAsync("kyc-manage", "--registry", registry, "--address", AnvilAccounts.Addresses[4], "--restriction-key", "5", "--value", "7")).ExitCode);
        Assert.Equal(0, (await _sto.RunAsync("kyc-manage", "--registry", registry, "--address", whitelisted[2], "--value", "2")).ExitCode);

        var seen = new List<(string Address, ulong Value)>();
        string? continuation = null;
        int pages = 0;
        do
        {
            string[] args = ["--json", "kyc-list", "--registry", registry, "--limit", "1", .. continuation is null ? Array.Empty<string>() : ["--continuation-token", continuation]];
            StoRun page = await _sto.RunAsync(args);
            Assert.True(page.ExitCode == 0, page.ToString());
            JsonElement body = page.Json();
            Assert.True(body.GetProperty("entries").GetArrayLength() <= 1, page.Out);
            seen.AddRange(body.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("address").GetString()!, e.GetProperty("value").GetUInt64())));
            continuation = body.GetProperty("continuationToken").GetString();
            Assert.True(++pages <= 5, "kyc-list kept answering a continuation token: " + page.Out);
        }
        while (continuation is not null);

        (string, ulong)[] expected = [.. new[] { (whitelisted[0], 1UL), (whitelisted[2], 2UL) }.OrderBy(e => Address.Parse(e.Item1))];
        Assert.Equal(expected, seen);
        JsonElement otherKey = (await _sto.RunAsync("--json", "kyc-list", "--registry", registry, "--restriction-key", "5")).Json();
        Assert.Equal(AnvilAccounts.Addresses[4], Assert.Single(otherKey.GetProperty("entries").EnumerateArray()).GetProperty("address").GetString());
    }

    [Fact]
    public async Task KycList_WithABadLimitAndKey_Exits2_ShowingBothErrors()
    {
        StoRun run = await _sto.RunAsync("kyc-list", "--registry", AnvilAccounts.Addresses[1], "--limit", "5000", "--restriction-key", "nope");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("limit: '5000' must be an integer from 1 to 1000.", run.Error);
        Assert.Contains("key: 'nope' is not a key", run.Error);
    }

    [Fact]
    public async Task BalanceHistory_AfterADistributionAndAForcedTransfer_ShowsEachChangeWithItsBlockHashDeltaAndBalanceAfter()
    {
        string token = (await app.IssueAsync("1000")).ToString();
        JsonElement distributed = await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows = new[] { new { externalId = "h1", address = Holder300, amount = "300" } } }));
        StoRun forced = await _sto.RunAsync("--json", "forced-transfer", "--token", token, "--from", Holder300, "--to", Holder500, "--amount", "40.5");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(0, (await _sto.RunAsync("token-scan", "--token", token)).ExitCode);
        string[] hashes =
        [
            distributed.GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString()!,
            forced.Json().GetProperty("output").GetProperty("transactions")[0].GetProperty("hash").GetString()!,
        ];

        StoRun history = await _sto.RunAsync("--json", "balance-history", "--token", token, "--address", Holder300);

        Assert.True(history.ExitCode == 0, history.ToString());
        JsonElement body = history.Json();
        JsonElement[] changes = [.. body.GetProperty("changes").EnumerateArray()];
        Assert.Equal(["300", "-40.5"], changes.Select(c => c.GetProperty("delta").GetString()));
        Assert.Equal(["300", "259.5"], changes.Select(c => c.GetProperty("balance").GetString()));
        Assert.Equal("259500000000000000000", changes[1].GetProperty("balanceRaw").GetString());
        Assert.Equal(hashes, changes.Select(c => c.GetProperty("transactionHash").GetString()));
        for (int i = 0; i < hashes.Length; i++)
        {
            TransactionReceipt receipt = (await app.Rpc.GetTransactionReceiptAsync(Hash32.Parse(hashes[i])))!;
            Assert.Equal(receipt.BlockNumber, changes[i].GetProperty("block").GetUInt64());
        }

        Assert.Equal("259.5", body.GetProperty("balance").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("continuationToken").ValueKind);

        JsonElement first = (await _sto.RunAsync("--json", "balance-history", "--token", token, "--address", Holder300, "--limit", "1")).Json();
        string next = first.GetProperty("continuationToken").GetString()!;
        JsonElement second = (await _sto.RunAsync("--json", "balance-history", "--token", token, "--address", Holder300, "--limit", "1", "--continuation-token", next)).Json();
        Assert.Equal(hashes[1], Assert.Single(second.GetProperty("changes").EnumerateArray()).GetProperty("transactionHash").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public async Task BalanceHistory_OfATokenNeverScanned_Exits2SayingToScanFirst()
    {
        // Not a token we issued or watch, so the app's scan timer never gives it a cursor either.
        string token = AnvilAccounts.Addresses[9];

        StoRun run = await _sto.RunAsync("balance-history", "--token", token, "--address", Holder300);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("sto token-scan", run.Error);
    }

    [Fact]
    public async Task DistributionRows_Csv_GivesEachRowWithItsTransactionHashStatusAndBlock_AndGuardsFormulaCells()
    {
        string token = (await app.IssueAsync("1000")).ToString();
        string csvIn = $"external_id,email,name,address,amount\n=HYPERLINK(1),+1@example.com,Ann,{Holder300},300\nrow-2,b@example.com,Bob,{Holder500},500\n";
        using HttpResponseMessage posted = await app.PostCsvAsync($"/api/tokens/{token}/distributions", csvIn);
        string id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        JsonElement status = await app.WaitCompletedAsync(id);
        string file = Path.Combine(Path.GetTempPath(), $"sto-rows-{Guid.NewGuid():N}.csv");

        try
        {
            StoRun run = await _sto.RunAsync("distribution-rows", "--id", id, "--csv", "--output", file);

            Assert.True(run.ExitCode == 0, run.ToString());
            string[] lines = (await File.ReadAllTextAsync(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Equal("row,externalId,email,name,address,amount,attempt,nonce,transactionHash,status,blockNumber,error,commandId", lines[0]);
            Assert.Equal(3, lines.Length);
            JsonElement[] txs = [.. status.GetProperty("output").GetProperty("transactions").EnumerateArray()];
            for (int i = 0; i < 2; i++)
            {
                string[] cells = lines[i + 1].Split(',');
                JsonElement tx = txs.Single(t => t.GetProperty("hash").GetString() == cells[8]);
                Assert.Equal(tx.GetProperty("status").GetString(), cells[9]);
                TransactionReceipt receipt = (await app.Rpc.GetTransactionReceiptAsync(Hash32.Parse(cells[8])))!;
                Assert.Equal(receipt.BlockNumber.ToString(CultureInfo.InvariantCulture), cells[10]);
                Assert.Equal(id, cells[12]);
            }

            Assert.StartsWith($"1,'=HYPERLINK(1),'+1@example.com,Ann,{Holder300},300,0,", lines[1]);
            Assert.StartsWith($"2,row-2,b@example.com,Bob,{Holder500},500,0,", lines[2]);
        }
        finally
        {
            File.Delete(file);
        }

        JsonElement json = (await _sto.RunAsync("--json", "distribution-rows", "--id", id)).Json();
        Assert.Equal("=HYPERLINK(1)", json.GetProperty("rows")[0].GetProperty("externalId").GetString());
    }

    [Fact]
    public async Task DistributionRows_OfACommandThatIsNotADistribution_Exits2NamingTheId()
    {
        JsonElement issued = await app.WaitCompletedAsync(await app.SubmitAsync("/api/tokens", new { name = "Rows Corp", symbol = "ROW", amount = "1" }));

        StoRun run = await _sto.RunAsync("distribution-rows", "--id", issued.GetProperty("id").GetString()!);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("id: A 'issue' command has no rows.", run.Error);
    }

    [Fact]
    public async Task PayoutHolders_AfterOneHolderClaimed_ShowsEachShareWithItsClaimStatus_AsJsonAndCsv()
    {
        string holderA = AnvilAccounts.Addresses[1], holderB = AnvilAccounts.Addresses[2];
        string token = (await app.IssueAsync("9999")).ToString();
        string asset = (await app.IssueAsync("1000")).ToString();
        var rows = new[] { new { externalId = "ph1", address = holderA, amount = "300" }, new { externalId = "ph2", address = holderB, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        ulong snapshotId = (await _sto.RunAsync("--json", "token-snapshot", "--token", token)).Json().GetProperty("output").GetProperty("snapshotId").GetUInt64();
        ulong deadline = (await app.Rpc.GetBlockByNumberAsync(BlockParameter.Latest))!.Timestamp + 3600;
        StoRun created = await _sto.RunAsync("--json", "payout-create", "--token", token, "--asset", asset, "--amount", "8",
            "--snapshot-id", snapshotId.ToString(CultureInfo.InvariantCulture), "--claim-deadline", deadline.ToString(CultureInfo.InvariantCulture), "--exclude", app.Issuer.ToString());
        Assert.True(created.ExitCode == 0, created.ToString());
        JsonElement output = created.Json().GetProperty("output");
        ulong payoutId = output.GetProperty("payoutId").GetUInt64();
        string distributor = output.GetProperty("payoutDistributor").GetString()!;
        string claimHash = await app.Anvil.SendTransactionAndWaitAsync(new { from = holderA, to = distributor, data = Hex.Encode(PayoutDistributorContract.Claim(payoutId)) });

        StoRun json = await _sto.RunAsync("--json", "payout-holders", "--token", token, "--payout-id", payoutId.ToString(CultureInfo.InvariantCulture));

        Assert.True(json.ExitCode == 0, json.ToString());
        var holders = json.Json().GetProperty("holders").EnumerateArray().ToDictionary(h => h.GetProperty("holder").GetString()!);
        Assert.Equal(("3", "Claimed", claimHash), (holders[holderA].GetProperty("amount").GetString(), holders[holderA].GetProperty("status").GetString(), holders[holderA].GetProperty("claimTransactionHash").GetString()));
        Assert.Equal(("5", "Unclaimed", JsonValueKind.Null), (holders[holderB].GetProperty("amount").GetString(), holders[holderB].GetProperty("status").GetString(), holders[holderB].GetProperty("claimTransactionHash").ValueKind));
        Assert.Equal(("0", "Excluded"), (holders[app.Issuer.ToString()].GetProperty("amount").GetString(), holders[app.Issuer.ToString()].GetProperty("status").GetString()));

        StoRun csv = await _sto.RunAsync("payout-holders", "--token", token, "--payout-id", payoutId.ToString(CultureInfo.InvariantCulture), "--csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        string[] lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("holder,snapshotBalance,amount,amountRaw,status,claimBlock,claimTransactionHash", lines[0]);
        Assert.Contains($"{holderB},500,5,5000000000000000000,Unclaimed,,", lines);
    }

    [Fact]
    public async Task TxVerify_WithAnApiKey_SubmitsTheStandardJsonInputNameCompilerAndConstructorArguments_AndWaitsForPass()
    {
        Address token = await app.IssueAsync("1000");
        using var explorer = new FakeExplorer("Pending in queue", "Pass - Verified");
        _sto.Variables["ETHERSCAN_API_KEY"] = "test-key-123";

        StoRun run = await _sto.RunAsync("tx-verify", "--token", token.ToString(), "--etherscan-url", explorer.Endpoint.ToString());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"verified {token}", run.Out);
        Assert.DoesNotContain("test-key-123", run.Out + run.Error);
        Assert.Empty(explorer.Refused);
        var form = Assert.Single(explorer.Submissions);
        Assert.Equal(("contract", "verifysourcecode", "test-key-123", "31337"), (form["module"], form["action"], form["apikey"], form["chainid"]));
        Assert.Equal("solidity-standard-json-input", form["codeformat"]);
        Assert.Equal(token.ToString(), form["contractaddress"]);
        Assert.Equal("token/SecurityToken.sol:SecurityToken", form["contractname"]);
        // The artifact says "solc 0.8.x+commit.abcdef12.Emscripten.clang"; explorers want "v0.8.x+commit.abcdef12".
        string compiler = SecurityTokenContract.Artifact.Compiler;
        Assert.Equal("v" + compiler["solc ".Length..compiler.IndexOf(".Emscripten", StringComparison.Ordinal)], form["compilerversion"]);
        byte[] expectedArguments = SecurityTokenContract.Deploy("Moo Corp", "MOO", 18, "", app.Issuer)[Hex.Decode(SecurityTokenContract.Artifact.Bytecode).Length..];
        Assert.Equal(Hex.EncodeNoPrefix(expectedArguments), form["constructorArguements"]);
        Assert.Equal(form["constructorArguements"], form["constructorArguments"]);
        using JsonDocument input = JsonDocument.Parse(form["sourceCode"]!);
        Assert.Equal("Solidity", input.RootElement.GetProperty("language").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "contracts", "src", "token", "SecurityToken.sol")),
            input.RootElement.GetProperty("sources").GetProperty("token/SecurityToken.sol").GetProperty("content").GetString());
        Assert.True(input.RootElement.GetProperty("sources").TryGetProperty("@openzeppelin/contracts/token/ERC20/ERC20.sol", out _), "the imported OpenZeppelin sources must be in the input");
        Assert.Equal(2, explorer.Checks.Count);
        Assert.All(explorer.Checks, q => Assert.Equal(("contract", "a7lpxkm9kpcpicx7daftmjifrfhiuhf5vqqnawhkfhzfrcpnxj", "test-key-123", "31337"), (q["module"], q["guid"], q["apikey"], q["chainid"])));
    }

    [Fact]
    public async Task TxVerify_WhenTheExplorerFailsTheVerification_Exits1WithItsVerdict()
    {
        Address token = await app.IssueAsync("1000");
        using var explorer = new FakeExplorer("Fail - Unable to verify. Compiled contract deployment bytecode does NOT match the transaction deployment bytecode.");

        StoRun run = await _sto.RunAsync("tx-verify", "--token", token.ToString(), "--etherscan-url", explorer.Endpoint.ToString(), "--etherscan-key", "k", "--chain-id", "11155111");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Fail - Unable to verify", run.Error);
        Assert.Equal("11155111", Assert.Single(explorer.Submissions)["chainid"]);
    }

    [Fact]
    public async Task TxVerify_WithoutAnApiKey_PrintsTheFieldsForManualVerification_AndWritesTheStandardJsonInput()
    {
        Address token = await app.IssueAsync("1000");
        string file = Path.Combine(Path.GetTempPath(), $"sto-input-{Guid.NewGuid():N}.json");
        try
        {
            StoRun run = await _sto.RunAsync("tx-verify", "--token", token.ToString(), "--output", file);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("contractName: token/SecurityToken.sol:SecurityToken", run.Out);
            Assert.Contains("no explorer API key", run.Error);
            JsonNode? written = JsonNode.Parse(await File.ReadAllTextAsync(file));
            JsonNode? served = JsonNode.Parse((await _sto.RunAsync("--json", "tx-verify", "--token", token.ToString())).Json().GetProperty("standardJsonInput").GetRawText());
            Assert.True(JsonNode.DeepEquals(served, written), "the written file differs from the served standardJsonInput");
            Assert.True(written!["sources"]!.AsObject().ContainsKey("token/SecurityToken.sol"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TxVerify_OfAnAddressTheServiceDidNotDeploy_Exits2()
    {
        StoRun run = await _sto.RunAsync("tx-verify", "--token", AnvilAccounts.Addresses[9], "--etherscan-key", "k", "--etherscan-url", "http://127.0.0.1:9/v2/api");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("token: Not a contract deployed by this service.", run.Error);
    }
}
