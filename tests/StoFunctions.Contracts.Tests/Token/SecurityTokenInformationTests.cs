using System.Text;
using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Token;

/// <summary>Snapshots (value at creation), documents (ERC-1643), token information and announcements.</summary>
public sealed class SecurityTokenInformationTests(AnvilChain chain) : TokenTestBase(chain)
{
    private static Hash32 Bytes32(string text)
    {
        byte[] word = new byte[32];
        Encoding.ASCII.GetBytes(text).CopyTo(word, 0);
        return Hash32.FromBytes(word);
    }

    [Fact]
    public async Task SnapshotTakenBeforeTransfers_KeepsTheOldBalancesAndSupply()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.BatchMint([Alice, Bob], [600, 400]));
        ChainReceipt first = await AdminAsync(token, SecurityTokenContract.Snapshot());
        Assert.Equal(new SecurityTokenContract.SnapshotEvent(1), SecurityTokenContract.DecodeSnapshotEvent(first.Logs[0].Topics, first.Logs[0].Data));

        await TransferAsync(token, Alice, Carol, 100);
        await TransferAsync(token, Alice, Carol, 50);
        await AdminAsync(token, SecurityTokenContract.Mint(Bob, 1000));
        await AdminAsync(token, SecurityTokenContract.Snapshot());
        await AdminAsync(token, SecurityTokenContract.Burn(Bob, 400));

        Assert.Equal((UInt256)2, SecurityTokenContract.DecodeCurrentSnapshotId(await Chain.CallAsync(token, SecurityTokenContract.CurrentSnapshotId())));
        Assert.Equal((UInt256)600, await BalanceAtAsync(token, Alice, 1));
        Assert.Equal((UInt256)400, await BalanceAtAsync(token, Bob, 1));
        Assert.Equal(UInt256.Zero, await BalanceAtAsync(token, Carol, 1));
        Assert.Equal((UInt256)1000, SecurityTokenContract.DecodeTotalSupplyAt(await Chain.CallAsync(token, SecurityTokenContract.TotalSupplyAt(1))));
        Assert.Equal((UInt256)450, await BalanceAtAsync(token, Alice, 2));
        Assert.Equal((UInt256)1400, await BalanceAtAsync(token, Bob, 2));
        Assert.Equal((UInt256)150, await BalanceAtAsync(token, Carol, 2));
        Assert.Equal((UInt256)2000, SecurityTokenContract.DecodeTotalSupplyAt(await Chain.CallAsync(token, SecurityTokenContract.TotalSupplyAt(2))));
        Assert.Equal((UInt256)1000, await BalanceAsync(token, Bob));

        await Chain.CallExpectingRevertAsync(Admin, token, SecurityTokenContract.BalanceOfAt(Alice, 0));
        byte[] future = await Chain.CallExpectingRevertAsync(Admin, token, SecurityTokenContract.TotalSupplyAt(3));
        Assert.Equal("NonexistentSnapshot", SecurityTokenContract.DecodeRevert(future).Error!.Name);
        await ExpectErrorAsync(token, Alice, SecurityTokenContract.Snapshot(), "AccessControlUnauthorizedAccount");
    }

    [Fact]
    public async Task Documents_AreSetReadListedAndRemoved_WithEvents()
    {
        Address token = await DeployTokenAsync();
        Hash32 name = Bytes32("prospectus");
        Hash32 hash = Keccak256.Hash("prospectus v1"u8);
        ChainReceipt set = await AdminAsync(token, SecurityTokenContract.SetDocument(name, "https://example.com/p.pdf", hash));
        Assert.Equal(new SecurityTokenContract.DocumentUpdatedEvent(name, "https://example.com/p.pdf", hash), SecurityTokenContract.DecodeDocumentUpdatedEvent(set.Logs[0].Topics, set.Logs[0].Data));

        (string uri, Hash32 documentHash, UInt256 lastModified) = SecurityTokenContract.DecodeGetDocument(await Chain.CallAsync(token, SecurityTokenContract.GetDocument(name)));
        Assert.Equal(("https://example.com/p.pdf", hash), (uri, documentHash));
        Assert.Equal((UInt256)await Chain.LatestTimestampAsync(), lastModified);
        Assert.Equal([name], SecurityTokenContract.DecodeGetAllDocuments(await Chain.CallAsync(token, SecurityTokenContract.GetAllDocuments())));

        ChainReceipt removed = await AdminAsync(token, SecurityTokenContract.RemoveDocument(name));
        Assert.Equal(new SecurityTokenContract.DocumentRemovedEvent(name, "https://example.com/p.pdf", hash), SecurityTokenContract.DecodeDocumentRemovedEvent(removed.Logs[0].Topics, removed.Logs[0].Data));
        Assert.Empty(SecurityTokenContract.DecodeGetAllDocuments(await Chain.CallAsync(token, SecurityTokenContract.GetAllDocuments())));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.RemoveDocument(name), "DocumentNotFound");
        await ExpectErrorAsync(token, Alice, SecurityTokenContract.SetDocument(name, "x", hash), "AccessControlUnauthorizedAccount");
    }

    [Fact]
    public async Task TokenInformationAndAnnouncements_AreStoredAndEmitted()
    {
        Address token = await DeployTokenAsync();
        ChainReceipt info = await AdminAsync(token, SecurityTokenContract.SetTokenInformation("https://comfy.example", "US1234567890"));
        Assert.Equal(new SecurityTokenContract.UpdatedTokenInformationEvent("https://comfy.example", "US1234567890"), SecurityTokenContract.DecodeUpdatedTokenInformationEvent(info.Logs[0].Topics, info.Logs[0].Data));
        Assert.Equal("US1234567890", SecurityTokenContract.DecodeIsin(await Chain.CallAsync(token, SecurityTokenContract.Isin())));
        Assert.Equal("https://comfy.example", SecurityTokenContract.DecodeUrl(await Chain.CallAsync(token, SecurityTokenContract.Url())));

        Hash32 name = Bytes32("Announcement 1");
        Hash32 content = Keccak256.Hash("agm notice"u8);
        await AdminAsync(token, SecurityTokenContract.Announce(123, name, "https://tokenmarket.net/", content));
        ChainReceipt second = await AdminAsync(token, SecurityTokenContract.Announce(7, name, "ipfs://x", content));
        Assert.Equal(new SecurityTokenContract.AnnouncedEvent(2, 7, name, "ipfs://x", content), SecurityTokenContract.DecodeAnnouncedEvent(second.Logs[0].Topics, second.Logs[0].Data));
        Assert.Equal((UInt256)2, SecurityTokenContract.DecodeAnnouncementCount(await Chain.CallAsync(token, SecurityTokenContract.AnnouncementCount())));
        await ExpectErrorAsync(token, Alice, SecurityTokenContract.Announce(1, name, "x", content), "AccessControlUnauthorizedAccount");
    }

    [Fact]
    public async Task Getters_RolesAndAllowances_AnswerAsTheStateSays()
    {
        Address token = await DeployTokenAsync();
        const ulong key = 11;
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(key, Address.Zero, 1, Eq));
        await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Alice, key, 1));
        Assert.Equal((1UL, Unset), SecurityTokenContract.DecodeGetAddressRestrictions(await Chain.CallAsync(token, SecurityTokenContract.GetAddressRestrictions(key, Alice, Bob))));
        Assert.Equal((false, 0UL), SecurityTokenContract.DecodeGetKycRestrictionKey(await Chain.CallAsync(token, SecurityTokenContract.GetKycRestrictionKey())));
        Assert.True(SecurityTokenContract.DecodeIsVerified(await Chain.CallAsync(token, SecurityTokenContract.IsVerified(Bob))));
        await AdminAsync(token, SecurityTokenContract.SetKycRestrictionKey(key));
        Assert.Equal((true, key), SecurityTokenContract.DecodeGetKycRestrictionKey(await Chain.CallAsync(token, SecurityTokenContract.GetKycRestrictionKey())));
        Assert.False(SecurityTokenContract.DecodeIsVerified(await Chain.CallAsync(token, SecurityTokenContract.IsVerified(Bob))));
        Assert.True(SecurityTokenContract.DecodeIsVerified(await Chain.CallAsync(token, SecurityTokenContract.IsVerified(Alice))));

        // Roles are plain OpenZeppelin AccessControl: granting ISSUER_ROLE lets Bob mint, revoking stops him.
        Hash32 issuer = SecurityTokenContract.DecodeISSUER_ROLE(await Chain.CallAsync(token, SecurityTokenContract.ISSUER_ROLE()));
        ChainReceipt granted = await AdminAsync(token, SecurityTokenContract.GrantRole(issuer, Bob));
        Assert.Equal(new AccessControlBinding.RoleGrantedEvent(issuer, Bob, Admin), SecurityTokenContract.DecodeRoleGrantedEvent(granted.Logs[0].Topics, granted.Logs[0].Data));
        await Chain.SendAsync(Bob, token, SecurityTokenContract.Mint(Alice, 5));
        ChainReceipt revoked = await AdminAsync(token, SecurityTokenContract.RevokeRole(issuer, Bob));
        Assert.Equal(new AccessControlBinding.RoleRevokedEvent(issuer, Bob, Admin), SecurityTokenContract.DecodeRoleRevokedEvent(revoked.Logs[0].Topics, revoked.Logs[0].Data));
        await ExpectErrorAsync(token, Bob, SecurityTokenContract.Mint(Alice, 5), "AccessControlUnauthorizedAccount");

        ChainReceipt approved = await Chain.SendAsync(Alice, token, SecurityTokenContract.Approve(Bob, 3));
        Assert.Equal(new Erc20Binding.ApprovalEvent(Alice, Bob, 3), SecurityTokenContract.DecodeApprovalEvent(approved.Logs[0].Topics, approved.Logs[0].Data));
        Assert.Equal((UInt256)3, SecurityTokenContract.DecodeAllowance(await Chain.CallAsync(token, SecurityTokenContract.Allowance(Alice, Bob))));
        Assert.Equal("CC", SecurityTokenContract.DecodeSymbol(await Chain.CallAsync(token, SecurityTokenContract.Symbol())));
    }

    private async Task<UInt256> BalanceAtAsync(Address token, Address account, ulong id) =>
        SecurityTokenContract.DecodeBalanceOfAt(await Chain.CallAsync(token, SecurityTokenContract.BalanceOfAt(account, id)));
}
