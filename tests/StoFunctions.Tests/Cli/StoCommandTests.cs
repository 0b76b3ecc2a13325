using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Cli;

/// <summary>
/// The <c>sto</c> CLI end to end: its entry point in process, over HTTP into the real app on Azurite and anvil.
/// Token, distribution, transaction, command and configuration commands.
/// </summary>
public sealed class StoCommandTests(PlatformApp app) : IClassFixture<PlatformApp>, IDisposable
{
    private const string Holder300 = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Holder500 = "0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2";

    private readonly StoConsole _sto = new(app);
    private readonly string _dir = Directory.CreateTempSubdirectory("sto-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Issue_WaitsForTheCommand_AndTokenStatusAndIssueLogsReadTheNewToken()
    {
        StoRun issued = await _sto.RunAsync("--json", "issue", "--name", "Cli Corp", "--symbol", "CLI", "--amount", "1234.5", "--url", "https://example.com");
        Assert.True(issued.ExitCode == 0, issued.ToString());
        JsonElement status = issued.Json();
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        string token = status.GetProperty("output").GetProperty("tokenAddress").GetString()!;
        Assert.Contains($"sto command wait {status.GetProperty("id").GetString()}", issued.Error);

        StoRun tokenStatus = await _sto.RunAsync("--json", "token-status", "--token", token);
        Assert.True(tokenStatus.ExitCode == 0, tokenStatus.ToString());
        Assert.Equal("CLI", tokenStatus.Json().GetProperty("symbol").GetString());
        Assert.Equal("1234.5", tokenStatus.Json().GetProperty("totalSupply").GetString());

        StoRun human = await _sto.RunAsync("token-status", "--token", token);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("Cli Corp", human.Out);
        Assert.Contains("1234.5", human.Out);

        StoRun logs = await _sto.RunAsync("issue-logs");
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains(token, logs.Out);
    }

    [Fact]
    public async Task DistributeMultipleWithAValidCsv_ConfirmsEveryRow_AndScanAndCapTableShowTheHolders()
    {
        string token = (await app.IssueAsync("9999")).ToString();
        string csv = Write("ok.csv", $"external_id,email,name,address,amount\nr1,a@example.com,Alice,{Holder300},300\nr2,,Bob,{Holder500},500\n");

        StoRun distributed = await _sto.RunAsync("--json", "distribute-multiple", "--token", token, "--csv", csv);
        Assert.True(distributed.ExitCode == 0, distributed.ToString());
        Assert.Equal(2, distributed.Json().GetProperty("customStatus").GetProperty("confirmed").GetInt32());
        Assert.Contains("Completed: 2/2 confirmed", distributed.Error);

        StoRun scanned = await _sto.RunAsync("--json", "token-scan", "--token", token);
        Assert.True(scanned.ExitCode == 0, scanned.ToString());
        Assert.Equal("Completed", scanned.Json().GetProperty("runtimeStatus").GetString());
        Assert.Matches(@"Completed: blocks \d+\.\.\d+, \d+ events", scanned.Error);

        StoRun table = await _sto.RunAsync("--json", "cap-table", "--token", token, "--order-by", "balance", "--order-direction", "asc");
        Assert.True(table.ExitCode == 0, table.ToString());
        string[] order = [.. table.Json().GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("address").GetString()!)];
        Assert.Equal([Holder300, Holder500, app.Issuer.ToString()], order);

        string file = Path.Combine(_dir, "cap.csv");
        StoRun csvRun = await _sto.RunAsync("cap-table", "--token", token, "--csv", "--output", file);
        Assert.True(csvRun.ExitCode == 0, csvRun.ToString());
        string[] lines = File.ReadAllLines(file);
        Assert.Equal(4, lines.Length);
        Assert.True(lines.Any(l => l.StartsWith(Holder500 + ",", StringComparison.Ordinal) && l.Contains(",500.00,500000000000000000000,", StringComparison.Ordinal)), string.Join('\n', lines));

        StoRun human = await _sto.RunAsync("cap-table", "--token", token);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains(Holder300, human.Out);
        Assert.Contains("9199", human.Out);
    }

    [Fact]
    public async Task DistributeMultipleWithBadRows_Exits2WithEachRowsErrorInRowOrder_AndSendsNothing()
    {
        string token = (await app.IssueAsync("9999")).ToString();
        ulong nonceBefore = await app.IssuerNonceAsync();
        string csv = Write("bad.csv", $"external_id,email,name,address,amount\nok1,,,{Holder300},1\nbad1,,,0xnot-an-address,1\nbad2,,,{Holder500},1.0000000000000000001\n");

        StoRun run = await _sto.RunAsync("distribute-multiple", "--token", token, "--csv", csv);

        Assert.True(run.ExitCode == 2, run.ToString());
        int row3 = run.Error.IndexOf("row 3:", StringComparison.Ordinal);
        int row4 = run.Error.IndexOf("row 4:", StringComparison.Ordinal);
        Assert.True(row3 >= 0 && row4 > row3, run.ToString());
        Assert.DoesNotContain("row 2:", run.Error);
        Assert.Equal(nonceBefore, await app.IssuerNonceAsync());
        StoRun last = await _sto.RunAsync("--json", "tx-last", "--limit", "1000");
        Assert.DoesNotContain(last.Json().GetProperty("transactions").EnumerateArray(), t => t.GetProperty("nonce").GetUInt64() >= nonceBefore);
    }

    [Fact]
    public async Task DistributeMultipleWithAMissingFile_Exits2NamingTheFile()
    {
        string missing = Path.Combine(_dir, "nope.csv");
        StoRun run = await _sto.RunAsync("distribute-multiple", "--token", app.Issuer.ToString(), "--csv", missing);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(missing, run.Error);
    }

    [Fact]
    public async Task DistributeSingleWithNoWait_PrintsTheId_AndCommandWaitAndShowFollowIt_AndAChangedAmountIsRefusedWith2()
    {
        string token = (await app.IssueAsync("9999")).ToString();
        StoRun accepted = await _sto.RunAsync("distribute-single", "--token", token, "--external-id", "single-1", "--to", Holder300, "--amount", "42", "--no-wait");
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        string id = accepted.Out.Trim();
        Assert.Matches("^[A-Za-z0-9]+$", id);

        StoRun waited = await _sto.RunAsync("command", "wait", id);
        Assert.True(waited.ExitCode == 0, waited.ToString());
        Assert.Contains("Completed", waited.Out);
        Assert.Contains("1/1 confirmed", waited.Out);

        StoRun shown = await _sto.RunAsync("--json", "command", "show", id);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal("Completed", shown.Json().GetProperty("runtimeStatus").GetString());
        Assert.Equal(UInt256.Parse("42000000000000000000"), await app.BalanceAsync(Address.Parse(token), Holder300));

        StoRun changed = await _sto.RunAsync("distribute-single", "--token", token, "--external-id", "single-1", "--to", Holder300, "--amount", "43");
        Assert.True(changed.ExitCode == 2, changed.ToString());
        Assert.Contains("error: 409", changed.Error);
        Assert.Contains("externalId", changed.Error);
    }

    [Fact]
    public async Task CommandShowOfAnUnknownId_Exits2WithTheProblem()
    {
        StoRun run = await _sto.RunAsync("command", "show", "doesnotexist1");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error: 404", run.Error);
        Assert.Contains("doesnotexist1", run.Error);
    }

    [Fact]
    public async Task TxLastAsJsonAndCsvNextNonceAndRestartNonce_ReadTheLedger_AndRestartNeedsTheAdminKey()
    {
        await app.IssueAsync("1");
        StoRun last = await _sto.RunAsync("--json", "tx-last", "--limit", "1");
        Assert.True(last.ExitCode == 0, last.ToString());
        JsonElement newest = last.Json().GetProperty("transactions").EnumerateArray().Single();

        StoRun csv = await _sto.RunAsync("tx-last", "--limit", "1", "--csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        string[] lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sender,nonce,status,hash,to,contractAddress,blockNumber,note,commandId,error,createdTime,updatedTime", lines[0].TrimEnd('\r'));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{app.Issuer},{newest.GetProperty("nonce").GetUInt64()},{newest.GetProperty("status").GetString()},{newest.GetProperty("hash").GetString()},", lines[1]);

        StoRun next = await _sto.RunAsync("--json", "tx-next-nonce");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(app.Issuer.ToString(), next.Json().GetProperty("address").GetString());
        Assert.True(next.Json().GetProperty("nextNonce").GetUInt64() > newest.GetProperty("nonce").GetUInt64());

        StoRun refused = await _sto.RunAsync("tx-restart-nonce");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("error: 403", refused.Error);

        StoRun restarted = await _sto.RunRawAsync(["--api", "http://localhost", "--key", PlatformApp.AdminKey, "--json", "tx-restart-nonce", "--address", app.Issuer.ToString()]);
        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        Assert.Equal(app.Issuer.ToString(), restarted.Json().GetProperty("address").GetString());
    }

    [Fact]
    public async Task ApiAndKeyFromTheEnvironment_OrFromTheProfileFile_Work_AndOptionsWin()
    {
        _sto.Variables["STO_API_URL"] = "http://localhost/api";
        _sto.Variables["STO_API_KEY"] = PlatformApp.FunctionKey;
        StoRun fromEnvironment = await _sto.RunRawAsync(["--json", "tx-next-nonce", "--address", app.Issuer.ToString()]);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());

        _sto.Variables.Clear();
        _sto.Home = _dir;
        Directory.CreateDirectory(Path.Combine(_dir, ".config", "sto"));
        File.WriteAllText(Path.Combine(_dir, ".config", "sto", "profile.json"), JsonSerializer.Serialize(new { api = "http://localhost", key = PlatformApp.FunctionKey }));
        StoRun fromProfile = await _sto.RunRawAsync(["--json", "tx-next-nonce", "--address", app.Issuer.ToString()]);
        Assert.True(fromProfile.ExitCode == 0, fromProfile.ToString());

        StoRun optionWins = await _sto.RunRawAsync(["--key", "wrong-key-7f3e9a", "tx-next-nonce", "--address", app.Issuer.ToString()]);
        Assert.True(optionWins.ExitCode == 2, optionWins.ToString());
        Assert.Contains("error: 401", optionWins.Error);
    }

    [Fact]
    public async Task ARefusedKey_IsNeverPrinted_InAnyOutput()
    {
        const string secret = "secret-key-3b9d7c1e55";
        foreach (string[] args in new[] { new[] { "issue-logs" }, ["--json", "issue-logs"], ["version"], ["command", "wait", "abc"] })
        {
            StoRun run = await _sto.RunRawAsync(["--api", "http://localhost", "--key", secret, .. args]);
            Assert.DoesNotContain(secret, run.Out + run.Error);
        }
    }

    [Fact]
    public async Task NoApiConfigured_OrAMissingRequiredOption_Exits2WithWhatToDo()
    {
        StoRun noApi = await _sto.RunRawAsync(["issue-logs"]);
        Assert.True(noApi.ExitCode == 2, noApi.ToString());
        Assert.Contains("STO_API_URL", noApi.Error);

        StoRun missing = await _sto.RunAsync("issue", "--name", "X");
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("--symbol", missing.Error);

        _sto.Variables["STO_PROFILE"] = Write("broken.json", "{not json");
        StoRun broken = await _sto.RunRawAsync(["issue-logs"]);
        Assert.True(broken.ExitCode == 2, broken.ToString());
        Assert.Contains("broken.json", broken.Error);
    }

    [Fact]
    public async Task DiagnoseAndVersion_ReportTheSignerAndBothVersions()
    {
        StoRun diagnose = await _sto.RunAsync("--json", "diagnose");
        Assert.True(diagnose.ExitCode == 0, diagnose.ToString());
        Assert.Equal(app.Issuer.ToString(), diagnose.Json().GetProperty("signer").GetString());

        StoRun version = await _sto.RunAsync("--json", "version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.False(string.IsNullOrEmpty(version.Json().GetProperty("cli").GetString()));
        Assert.False(string.IsNullOrEmpty(version.Json().GetProperty("api").GetString()));

        StoRun offline = await _sto.RunRawAsync(["version"]);
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.StartsWith("sto ", offline.Out);
    }

    [Fact]
    public async Task CommandList_FiltersByExternalIdNameStatusAndTime_AndPagesNewestFirst()
    {
        string from = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        StoRun issued = await _sto.RunAsync("--json", "issue", "--name", "List Corp", "--symbol", "LST", "--amount", "100");
        Assert.True(issued.ExitCode == 0, issued.ToString());
        string token = issued.Json().GetProperty("output").GetProperty("tokenAddress").GetString()!;
        var ids = new List<string> { issued.Json().GetProperty("id").GetString()! };
        foreach (string externalId in new[] { "list-a", "list-b", "list-c" })
        {
            StoRun sent = await _sto.RunAsync("--json", "distribute-single", "--token", token, "--external-id", externalId, "--to", Holder300, "--amount", "1", "--email", externalId + "@example.com");
            Assert.True(sent.ExitCode == 0, sent.ToString());
            ids.Add(sent.Json().GetProperty("id").GetString()!);
        }

        ids.Reverse();
        Assert.Equal(ids, await ListAsync("--from", from));
        Assert.Equal([ids[1]], await ListAsync("--external-id", "list-b"));
        Assert.Equal([ids[0]], await ListAsync("--email", "LIST-C@example.com"));
        Assert.Equal(ids.Take(3), await ListAsync("--from", from, "--command", "transfer"));
        Assert.Equal(ids, await ListAsync("--from", from, "--status", "Completed,Failed"));
        Assert.Empty(await ListAsync("--from", from, "--status", "Failed"));
        Assert.Empty(await ListAsync("--from", from, "--to", "2000-01-01T00:00:00Z"));

        StoRun first = await _sto.RunAsync("--json", "command", "list", "--from", from, "--limit", "3");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(ids.Take(3), first.Json().GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        Assert.Equal(1, first.Json().GetProperty("commands")[0].GetProperty("customStatus").GetProperty("confirmed").GetInt32());
        string next = first.Json().GetProperty("continuationToken").GetString()!;
        StoRun second = await _sto.RunAsync("--json", "command", "list", "--from", from, "--limit", "3", "--continuation-token", next);
        Assert.Equal([ids[3]], second.Json().GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        Assert.Equal(JsonValueKind.Null, second.Json().GetProperty("continuationToken").ValueKind);

        StoRun human = await _sto.RunAsync("command", "list", "--from", from, "--limit", "3");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains(ids[0], human.Out);
        Assert.Contains("1/1 confirmed", human.Out);
        Assert.Contains("--continuation-token " + next, human.Out);
    }

    [Fact]
    public async Task CommandListWithAnUnknownStatusOrAForeignToken_Exits2NamingTheParameter()
    {
        StoRun status = await _sto.RunAsync("command", "list", "--status", "Done");
        Assert.True(status.ExitCode == 2, status.ToString());
        Assert.Contains("status: 'Done' is not a status", status.Error);

        StoRun page = await _sto.RunAsync("command", "list", "--continuation-token", "not-a-token");
        Assert.True(page.ExitCode == 2, page.ToString());
        Assert.Contains("continuationToken:", page.Error);
    }

    private async Task<List<string>> ListAsync(params string[] filters)
    {
        StoRun run = await _sto.RunAsync(["--json", "command", "list", .. filters]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. run.Json().GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
