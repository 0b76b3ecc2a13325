using System.Net;
using System.Text.Json;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Seed 002 modules through the API: deploy an IssuingEntity and a sample module, link a token, read what the
/// module asks for, attach it at the token or the issuer level (the request repeating its permissions exactly,
/// else 409 naming the difference), list the active modules of a token and of its issuer, detach; a custodian's
/// holding in the cap table with its beneficial owners.
/// </summary>
public sealed class ModuleRoutesTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string TransferFrom = "transferFrom(address,address,uint256)";

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private async Task<JsonElement> GetAsync(string path)
    {
        using HttpResponseMessage response = await app.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return Json(text);
    }

    private async Task<JsonElement> ExpectProblemAsync(string path, object body, HttpStatusCode status)
    {
        using HttpResponseMessage response = await app.PostJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode} {text}");
        return Json(text);
    }

    private async Task<Address> DeploySampleAsync(object body) =>
        Address.Parse((await app.WaitCompletedAsync(await app.SubmitAsync("/api/modules", body))).GetProperty("output").GetProperty("moduleAddress").GetString()!);

    private async Task<string[]> ModuleAddressesAsync(string path) =>
        [.. (await GetAsync(path)).GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("address").GetString()! + "/" + m.GetProperty("level").GetString())];

    [Fact]
    public async Task IssuerLevelCountryLock_DeployedInspectedAttachedListedOnBothTokensAndDetached_AWrongPermissionListIs409()
    {
        Address first = await app.IssueAsync("1000");
        Address second = await app.IssueAsync("1000");
        Address entity = await app.LinkEntityAsync(first);
        await app.LinkEntityAsync(second, entity);
        Address locker = await DeploySampleAsync(new { type = "country-lock", parent = entity.ToString() });

        JsonElement info = await GetAsync($"/api/modules/{locker}");
        Assert.Equal(("CountryLock", entity.ToString()), (info.GetProperty("name").GetString(), info.GetProperty("owner").GetString()));
        JsonElement hook = Assert.Single(info.GetProperty("hooks").EnumerateArray());
        Assert.Equal(("0x47fca5df", "IssuerModule.checkTransfer"), (hook.GetProperty("selector").GetString(), hook.GetProperty("name").GetString()));
        Assert.Empty(info.GetProperty("permissions").EnumerateArray());

        ulong nonce = await app.IssuerNonceAsync();
        JsonElement refused = await ExpectProblemAsync($"/api/issuing-entities/{entity}/modules", new { module = locker.ToString(), permissions = new[] { TransferFrom } }, HttpStatusCode.Conflict);
        string message = refused.GetProperty("errors").GetProperty("permissions")[0].GetString()!;
        Assert.Contains("does not ask for: 0x23b872dd (SecurityToken.transferFrom)", message);
        Assert.Equal(nonce, await app.IssuerNonceAsync()); // nothing planned or sent

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/issuing-entities/{entity}/modules", new { module = locker.ToString(), permissions = Array.Empty<string>(), hooks = new[] { "0x47fca5df" } }));
        Assert.Equal([$"{locker}/issuer"], await ModuleAddressesAsync($"/api/issuing-entities/{entity}/modules"));
        Assert.Equal([$"{locker}/issuer"], await ModuleAddressesAsync($"/api/tokens/{first}/modules"));
        Assert.Equal([$"{locker}/issuer"], await ModuleAddressesAsync($"/api/tokens/{second}/modules"));
        Assert.True(SecurityTokenContract.DecodeIsActiveModule(await app.Rpc.CallAsync(new CallRequest { To = second, Data = SecurityTokenContract.IsActiveModule(locker) })));

        using HttpResponseMessage detach = await app.Client.DeleteAsync($"/api/issuing-entities/{entity}/modules/{locker}");
        Assert.Equal(HttpStatusCode.Accepted, detach.StatusCode);
        await app.WaitCompletedAsync(Json(await detach.Content.ReadAsStringAsync()).GetProperty("id").GetString()!);
        Assert.Empty(await ModuleAddressesAsync($"/api/tokens/{first}/modules"));
    }

    [Fact]
    public async Task TokenLevelModule_WithAPermission_MustBeRepeated_ToAttach_AndATokenWithoutAnEntityIs409()
    {
        Address token = await app.IssueAsync("1000");
        byte[] transferFrom = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(TransferFrom)).ToArray()[..4];
        string deployHash = await app.Anvil.SendTransactionAndWaitAsync(new { from = AnvilAccounts.Addresses[7], data = Hex.Encode(TestModuleContract.Deploy(token, [transferFrom], [])) });
        Address module = (await app.Rpc.GetTransactionReceiptAsync(Hash32.Parse(deployHash)))!.ContractAddress!.Value;

        JsonElement unlinked = await ExpectProblemAsync($"/api/tokens/{token}/modules", new { module = module.ToString(), permissions = new[] { TransferFrom } }, HttpStatusCode.Conflict);
        Assert.Contains("has no IssuingEntity", unlinked.GetProperty("errors").GetProperty("token")[0].GetString());

        Address entity = await app.LinkEntityAsync(token);
        JsonElement linkedTwice = await ExpectProblemAsync($"/api/issuing-entities/{entity}/tokens", new { token = token.ToString() }, HttpStatusCode.Conflict);
        Assert.Contains("is already a token of", linkedTwice.GetProperty("errors").GetProperty("token")[0].GetString());

        JsonElement missing = await ExpectProblemAsync($"/api/tokens/{token}/modules", new { module = module.ToString(), permissions = Array.Empty<string>() }, HttpStatusCode.Conflict);
        Assert.Contains("asks for permissions the request does not repeat: 0x23b872dd (SecurityToken.transferFrom)", missing.GetProperty("errors").GetProperty("permissions")[0].GetString());

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/modules", new { module = module.ToString(), permissions = new[] { "0x23B872DD" } }));
        JsonElement listed = Assert.Single((await GetAsync($"/api/tokens/{token}/modules")).GetProperty("modules").EnumerateArray());
        Assert.Equal("token", listed.GetProperty("level").GetString());
        JsonElement permission = Assert.Single(listed.GetProperty("permissions").EnumerateArray());
        Assert.Equal(("SecurityToken.transferFrom", true), (permission.GetProperty("name").GetString(), permission.GetProperty("granted").GetBoolean()));

        using HttpResponseMessage detach = await app.Client.DeleteAsync($"/api/tokens/{token}/modules/{module}");
        Assert.Equal(HttpStatusCode.Accepted, detach.StatusCode);
        await app.WaitCompletedAsync(Json(await detach.Content.ReadAsStringAsync()).GetProperty("id").GetString()!);
        Assert.Empty((await GetAsync($"/api/tokens/{token}/modules")).GetProperty("modules").EnumerateArray());
        Assert.False(SecurityTokenContract.DecodeIsActiveModule(await app.Rpc.CallAsync(new CallRequest { To = token, Data = SecurityTokenContract.IsActiveModule(module) })));
    }

    [Fact]
    public async Task CapTable_ShowsACustodiansHoldingWithItsBeneficialOwners_AfterAnInternalTransfer_CountedOnceInTheTotal()
    {
        Address token = await app.IssueAsync("1000");
        Address entity = await app.LinkEntityAsync(token);
        string operatorAccount = AnvilAccounts.Addresses[7];
        string alice = AnvilAccounts.Addresses[3];
        string deployHash = await app.Anvil.SendTransactionAndWaitAsync(new { from = operatorAccount, data = Hex.Encode(CustodianContract.Deploy(Address.Parse(operatorAccount))) });
        Address custodian = (await app.Rpc.GetTransactionReceiptAsync(Hash32.Parse(deployHash)))!.ContractAddress!.Value;
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/issuing-entities/{entity}/custodians", new { custodian = custodian.ToString() }));
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "custody-1", to = alice, amount = "300" }));

        // Alice deposits 100 (a holder transfer); the custodian's operator gives 40 of them to Bob's investor ID.
        await app.Anvil.SendTransactionAndWaitAsync(new { from = alice, to = token.ToString(), data = Hex.Encode(SecurityTokenContract.Transfer(custodian, UInt256.Parse("100000000000000000000"))) });
        Hash32 aliceId = IdOf(Address.Parse(alice)), bobId = IdOf(Address.Parse(AnvilAccounts.Addresses[4]));
        await app.Anvil.SendTransactionAndWaitAsync(new { from = operatorAccount, to = custodian.ToString(), data = Hex.Encode(CustodianContract.TransferInternal(token, aliceId, bobId, UInt256.Parse("40000000000000000000"), true)) });

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/scans", new { }));
        JsonElement table = await GetAsync($"/api/tokens/{token}/holders");

        Assert.Equal("1000", table.GetProperty("accountedSupply").GetString());
        JsonElement[] rows = [.. table.GetProperty("holders").EnumerateArray()];
        Assert.Equal(3, rows.Length); // issuer, Alice, the custodian: Bob owns through the custodian only
        JsonElement custody = Assert.Single(rows, r => r.GetProperty("address").GetString() == custodian.ToString());
        Assert.Equal("100.00", custody.GetProperty("balance").GetString());
        string[] owners = [.. custody.GetProperty("beneficialOwners").EnumerateArray().Select(o => o.GetProperty("id").GetString() + "=" + o.GetProperty("balance").GetString())];
        Assert.Equal([$"{aliceId}=60.00", $"{bobId}=40.00"], owners);
        Assert.All(rows.Where(r => r.GetProperty("address").GetString() != custodian.ToString()), r => Assert.False(r.TryGetProperty("beneficialOwners", out _)));
    }

    // The IssuingEntity's ID of an address without a record: the address, left-padded to 32 bytes.
    private static Hash32 IdOf(Address account)
    {
        byte[] id = new byte[32];
        account.CopyTo(id.AsSpan(12));
        return Hash32.FromBytes(id);
    }
}
