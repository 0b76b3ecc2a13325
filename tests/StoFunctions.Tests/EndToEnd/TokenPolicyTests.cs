using System.Net;
using System.Text.Json;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Issue #14 item 13 through real HTTP against Azurite and anvil: the policy <c>GET /api/tokens/{token}</c> reports
/// follows the rules set with <c>POST …/restrictions</c>, and rule and KYC entry values take the contract's full
/// u64 range (seed 003 uses values above 2^63−1) while 2^64 is refused naming the member.
/// </summary>
public sealed class TokenPolicyTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string Holder = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";

    [Fact]
    public async Task ARuleSetThroughTheApiOnAnUnrestrictedToken_MakesThePolicyRestricted_AndDeletingItMakesItUnrestrictedAgain()
    {
        Address token = await app.IssueAsync("1000");
        Assert.Equal("unrestricted", (await PolicyAsync(token)).GetProperty("restriction").GetString());

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/restrictions", new { key = 7, type = "LE", value = 1000 }));

        JsonElement restricted = await PolicyAsync(token);
        Assert.Equal("restricted", restricted.GetProperty("restriction").GetString());
        // No KYC key is named: the rule alone makes the token restricted.
        Assert.Equal(JsonValueKind.Null, restricted.GetProperty("kycKey").ValueKind);
        JsonElement rule = Assert.Single(restricted.GetProperty("rules").EnumerateArray());
        Assert.Equal((7UL, "LE", 1000UL), (rule.GetProperty("key").GetUInt64(), rule.GetProperty("type").GetString(), rule.GetProperty("value").GetUInt64()));

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/restrictions", new { key = 7, type = "NONE" }));

        JsonElement lifted = await PolicyAsync(token);
        Assert.Equal("unrestricted", lifted.GetProperty("restriction").GetString());
        Assert.Empty(lifted.GetProperty("rules").EnumerateArray());
    }

    [Fact]
    public async Task ARuleValueOf2Pow64Minus1_IsWrittenOnChainAndReadBackExactly_And2Pow64IsA400NamingValue()
    {
        Address token = await app.IssueAsync("1000");

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/tokens/{token}/restrictions", "{\"key\":18446744073709551615,\"type\":\"GE\",\"value\":18446744073709551615}"));

        (Address _, ulong onChain, byte type) = SecurityTokenContract.DecodeGetGlobalRestriction(await app.Rpc.CallAsync(new CallRequest { To = token, Data = SecurityTokenContract.GetGlobalRestriction(ulong.MaxValue) }));
        Assert.Equal((ulong.MaxValue, (byte)6), (onChain, type));
        JsonElement rule = Assert.Single((await PolicyAsync(token)).GetProperty("rules").EnumerateArray());
        Assert.Equal("18446744073709551615", rule.GetProperty("key").GetRawText());
        Assert.Equal("18446744073709551615", rule.GetProperty("value").GetRawText());

        await AssertRefusedAsync($"/api/tokens/{token}/restrictions", "{\"key\":7,\"type\":\"GE\",\"value\":18446744073709551616}", "value");
    }

    [Fact]
    public async Task KycEntryValuesAbove2Pow63_AreWrittenOnChainAndReadBackExactly_And2Pow64IsA400NamingValue()
    {
        JsonElement deployed = await app.WaitCompletedAsync(await app.SubmitAsync("/api/kyc-registries", new { }));
        Address registry = Address.Parse(deployed.GetProperty("output").GetProperty("registryAddress").GetString()!);

        // 2^64−2 is the largest value an entry holds; 2^64−1 is the contract's UNSET, so writing it deletes the entry.
        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/kyc-registries/{registry}/entries", "{\"address\":\"" + Holder + "\",\"key\":18446744073709551615,\"value\":18446744073709551614}"));
        Assert.Equal(ulong.MaxValue - 1, await EntryAsync(registry, ulong.MaxValue));

        await app.WaitCompletedAsync(await app.SubmitAsync($"/api/kyc-registries/{registry}/entries", "{\"address\":\"" + Holder + "\",\"key\":18446744073709551615,\"value\":18446744073709551615}"));
        Assert.Equal(ulong.MaxValue, await EntryAsync(registry, ulong.MaxValue));

        await AssertRefusedAsync($"/api/kyc-registries/{registry}/entries", "{\"address\":\"" + Holder + "\",\"value\":18446744073709551616}", "value");
    }

    private async Task<JsonElement> PolicyAsync(Address token)
    {
        using JsonDocument status = JsonDocument.Parse(await app.Client.GetStringAsync($"/api/tokens/{token}"));
        return status.RootElement.GetProperty("policy").Clone();
    }

    private async Task<ulong> EntryAsync(Address registry, ulong key) =>
        KycRegistryContract.DecodeGetAddressRestriction(await app.Rpc.CallAsync(new CallRequest { To = registry, Data = KycRegistryContract.GetAddressRestriction(key, Address.Parse(Holder)) }));

    private async Task AssertRefusedAsync(string path, string body, string member)
    {
        int commands = await app.CountRowsAsync("commands");
        using HttpResponseMessage response = await app.PostJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Contains("out of range; must be from 0 to 18446744073709551615", problem.RootElement.GetProperty("errors").GetProperty(member)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(commands, await app.CountRowsAsync("commands"));
    }
}
