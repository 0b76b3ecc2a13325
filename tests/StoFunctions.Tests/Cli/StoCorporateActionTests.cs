using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Cli;

/// <summary>
/// The <c>sto</c> CLI end to end (entry point in process, real app on Azurite and anvil): KYC, issuer controls,
/// snapshots, payouts and voting. Expected amounts are computed here from the distributed balances.
/// </summary>
public sealed class StoCorporateActionTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string Holder300 = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Holder500 = "0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2";

    private readonly StoConsole _sto = new(app);

    [Fact]
    public async Task KycDeployManageAndShow_WhitelistHoldersAndReadThemBack_SoARestrictedTokenSendsToThem_AndRefusesOthersWith2()
    {
        StoRun deployed = await _sto.RunAsync("--json", "kyc-deploy");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        string registry = deployed.Json().GetProperty("output").GetProperty("registryAddress").GetString()!;

        StoRun managed = await _sto.RunAsync("kyc-manage", "--registry", registry, "--address", app.Issuer.ToString(), "--address", Holder300);
        Assert.True(managed.ExitCode == 0, managed.ToString());

        StoRun listed = await _sto.RunAsync("--json", "kyc-show", "--registry", registry, "--address", Holder300);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(1UL, listed.Json().GetProperty("value").GetUInt64());
        JsonElement unset = (await _sto.RunAsync("--json", "kyc-show", "--registry", registry, "--address", Holder500)).Json();
        Assert.False(unset.GetProperty("set").GetBoolean());
        Assert.Equal(JsonValueKind.Null, unset.GetProperty("value").ValueKind);
        StoRun notRegistry = await _sto.RunAsync("kyc-show", "--registry", Holder500, "--address", Holder300);
        Assert.True(notRegistry.ExitCode == 2, notRegistry.ToString());
        Assert.Contains("registry: Not a KYC registry.", notRegistry.Error);

        StoRun issued = await _sto.RunAsync("--json", "issue", "--name", "Kyc Corp", "--symbol", "KYC", "--amount", "1000", "--restricted", "--kyc-registry", registry);
        Assert.True(issued.ExitCode == 0, issued.ToString());
        string token = issued.Json().GetProperty("output").GetProperty("tokenAddress").GetString()!;

        StoRun allowed = await _sto.RunAsync("distribute-single", "--token", token, "--external-id", "kyc-ok", "--to", Holder300, "--amount", "10");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        ulong nonce = await app.IssuerNonceAsync();
        StoRun refused = await _sto.RunAsync("distribute-single", "--token", token, "--external-id", "kyc-no", "--to", Holder500, "--amount", "10");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("code 6", refused.Error);
        Assert.Equal(nonce, await app.IssuerNonceAsync());
    }

    [Fact]
    public async Task IssuerControls_MintBurnPauseUnpauseFreezeForcedTransferAndRecover_ChangeTheChain()
    {
        string token = (await app.IssueAsync("1000")).ToString();
        Address t = Address.Parse(token);
        Assert.Equal(0, (await _sto.RunAsync("mint", "--token", token, "--amount", "50")).ExitCode);
        Assert.Equal(0, (await _sto.RunAsync("burn", "--token", token, "--amount", "25")).ExitCode);
        Assert.Equal(Units("1025"), await app.BalanceAsync(t, app.Issuer.ToString()));

        Assert.Equal(0, (await _sto.RunAsync("pause", "--token", token)).ExitCode);
        Assert.True((await _sto.RunAsync("--json", "token-status", "--token", token)).Json().GetProperty("paused").GetBoolean());
        Assert.Equal(0, (await _sto.RunAsync("unpause", "--token", token)).ExitCode);
        Assert.False((await _sto.RunAsync("--json", "token-status", "--token", token)).Json().GetProperty("paused").GetBoolean());

        Assert.Equal(0, (await _sto.RunAsync("distribute-single", "--token", token, "--external-id", "c1", "--to", Holder300, "--amount", "100")).ExitCode);
        StoRun freeze = await _sto.RunAsync("freeze", "--token", token, "--address", Holder300);
        Assert.True(freeze.ExitCode == 0, freeze.ToString());
        StoRun unfreeze = await _sto.RunAsync("freeze", "--token", token, "--address", Holder300, "--unfreeze");
        Assert.True(unfreeze.ExitCode == 0, unfreeze.ToString());

        StoRun forced = await _sto.RunAsync("forced-transfer", "--token", token, "--from", Holder300, "--to", Holder500, "--amount", "40");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(Units("60"), await app.BalanceAsync(t, Holder300));
        Assert.Equal(Units("40"), await app.BalanceAsync(t, Holder500));

        string fresh = AnvilAccounts.Addresses[5];
        StoRun recovered = await _sto.RunAsync("recover", "--token", token, "--lost-wallet", Holder500, "--new-wallet", fresh);
        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        Assert.Equal(Units("40"), await app.BalanceAsync(t, fresh));
        Assert.Equal(UInt256.Zero, await app.BalanceAsync(t, Holder500));
    }

    [Fact]
    public async Task SnapshotPayoutCreatePushStatusAndReclaim_PayEachHolderItsShare_AndReclaimWaitsForTheDeadline()
    {
        string token = (await app.IssueAsync("9999")).ToString();
        string asset = (await app.IssueAsync("1000")).ToString();
        var rows = new[] { new { externalId = "p1", address = Holder300, amount = "300" }, new { externalId = "p2", address = Holder500, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));

        StoRun snapshot = await _sto.RunAsync("--json", "token-snapshot", "--token", token);
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        ulong snapshotId = snapshot.Json().GetProperty("output").GetProperty("snapshotId").GetUInt64();
        StoRun snapshots = await _sto.RunAsync("--json", "token-snapshots", "--token", token);
        Assert.Equal(snapshotId, snapshots.Json().GetProperty("currentSnapshotId").GetUInt64());

        ulong deadline = await ChainTimeAsync() + 3600;
        StoRun created = await _sto.RunAsync("--json", "payout-create", "--token", token, "--asset", asset, "--amount", "8",
            "--snapshot-id", snapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--claim-deadline", deadline.ToString(System.Globalization.CultureInfo.InvariantCulture), "--exclude", app.Issuer.ToString());
        Assert.True(created.ExitCode == 0, created.ToString());
        string payoutId = created.Json().GetProperty("output").GetProperty("payoutId").GetRawText();

        StoRun pushed = await _sto.RunAsync("payout-push", "--token", token, "--payout-id", payoutId);
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.Equal(Units("3"), await app.BalanceAsync(Address.Parse(asset), Holder300));
        Assert.Equal(Units("5"), await app.BalanceAsync(Address.Parse(asset), Holder500));

        StoRun status = await _sto.RunAsync("--json", "payout-status", "--token", token, "--payout-id", payoutId);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("8", status.Json().GetProperty("amount").GetString());

        StoRun early = await _sto.RunAsync("payout-reclaim", "--token", token, "--payout-id", payoutId);
        Assert.True(early.ExitCode == 2, early.ToString());
        Assert.Contains("can be claimed until", early.Error);

        await app.Anvil.RpcAsync("evm_increaseTime", 3601);
        await app.Anvil.RpcAsync("evm_mine");
        StoRun reclaimed = await _sto.RunAsync("payout-reclaim", "--token", token, "--payout-id", payoutId);
        Assert.True(reclaimed.ExitCode == 0, reclaimed.ToString());
    }

    [Fact]
    public async Task PayoutDirectInEther_PaysProRataAtTheBlock()
    {
        string token = (await app.IssueAsync("9999")).ToString();
        var rows = new[] { new { externalId = "d1", address = Holder300, amount = "300" }, new { externalId = "d2", address = Holder500, amount = "500" } };
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }));
        ulong atBlock = await app.Rpc.GetBlockNumberAsync();
        UInt256 before = await app.Rpc.GetBalanceAsync(Address.Parse(Holder300));

        StoRun paid = await _sto.RunAsync("payout-direct", "--token", token, "--external-id", "div-1", "--asset", "ETH", "--amount", "100",
            "--at-block", atBlock.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(paid.ExitCode == 0, paid.ToString());
        Assert.Equal(before + UInt256.Parse("3000300030003000300"), await app.Rpc.GetBalanceAsync(Address.Parse(Holder300)));
    }

    [Fact]
    public async Task VotingCreateAndVotingStatus_OpenABallotOnASnapshot_AndReadItBack()
    {
        string token = (await app.IssueAsync("1000")).ToString();
        StoRun snapshot = await _sto.RunAsync("--json", "token-snapshot", "--token", token);
        ulong snapshotId = snapshot.Json().GetProperty("output").GetProperty("snapshotId").GetUInt64();
        string end = DateTimeOffset.FromUnixTimeSeconds((long)(await ChainTimeAsync() + 7200)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        StoRun created = await _sto.RunAsync("--json", "voting-create", "--token", token, "--snapshot-id", snapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--options", "3", "--end", end, "--uri", "https://example.com/agm.pdf");
        Assert.True(created.ExitCode == 0, created.ToString());
        string ballotId = created.Json().GetProperty("output").GetProperty("ballotId").GetRawText();

        StoRun status = await _sto.RunAsync("--json", "voting-status", "--token", token, "--ballot-id", ballotId);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(3, status.Json().GetProperty("results").GetArrayLength());
        Assert.Equal("https://example.com/agm.pdf", status.Json().GetProperty("uri").GetString());

        StoRun human = await _sto.RunAsync("voting-status", "--token", token);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("https://example.com/agm.pdf", human.Out);
    }

    private static UInt256 Units(string whole) => UInt256.Parse(whole + "000000000000000000");

    private async Task<ulong> ChainTimeAsync() => (await app.Rpc.GetBlockByNumberAsync(BlockParameter.Latest))!.Timestamp;
}
