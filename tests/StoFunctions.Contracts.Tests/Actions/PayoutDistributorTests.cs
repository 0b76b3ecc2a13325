using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Actions;

/// <summary>Pro-rata payouts on a snapshot (research/contracts.md §2.12, OWN-D).</summary>
public sealed class PayoutDistributorTests(AnvilChain chain) : TokenTestBase(chain)
{
    private const ulong Kyc = 5;

    private sealed record Setup(Address Token, Address Coin, Address Distributor, ulong Deadline);

    /// <summary>Treasury (Admin) 900, Alice 60, Bob 40 at snapshot 1; 1,000 coins approved to the distributor.</summary>
    private async Task<Setup> SetupAsync()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(Kyc, Address.Zero, 1, Eq));
        await AdminAsync(token, SecurityTokenContract.BatchSetAddressRestriction([Admin, Alice, Bob, Carol], Kyc, [1, 1, 1, 1]));
        await AdminAsync(token, SecurityTokenContract.SetKycRestrictionKey(Kyc));
        await AdminAsync(token, SecurityTokenContract.BatchMint([Admin, Alice, Bob], [900, 60, 40]));
        await AdminAsync(token, SecurityTokenContract.Snapshot());
        // Moves after the snapshot change nothing.
        await TransferAsync(token, Alice, Carol, 60);

        Address coin = await Chain.DeployAsync(TestStablecoinContract.Deploy());
        await AdminAsync(coin, TestStablecoinContract.Mint(Admin, 1_000_000));
        Address distributor = await Chain.DeployAsync(PayoutDistributorContract.Deploy(token, Admin));
        await AdminAsync(coin, TestStablecoinContract.Approve(distributor, 1_000_000));
        ulong deadline = await Chain.LatestTimestampAsync() + 3600;
        return new Setup(token, coin, distributor, deadline);
    }

    [Fact]
    public async Task SixtyFortyOfAHundredUnitBase_WithTreasuryExcluded_Pays600And400()
    {
        Setup s = await SetupAsync();
        ChainReceipt created = await AdminAsync(s.Distributor, PayoutDistributorContract.CreatePayout(s.Coin, 1000, 1, s.Deadline, [Admin]));
        ChainLog log = created.LogsWith(PayoutDistributorContract.PayoutCreatedTopic).Single();
        Assert.Equal(new PayoutDistributorContract.PayoutCreatedEvent(1, s.Coin, 1000, 1, s.Deadline, 100), PayoutDistributorContract.DecodePayoutCreatedEvent(log.Topics, log.Data));

        ChainReceipt claimed = await Chain.SendAsync(Alice, s.Distributor, PayoutDistributorContract.Claim(1));
        ChainLog paid = claimed.LogsWith(PayoutDistributorContract.PayoutClaimedTopic).Single();
        Assert.Equal(new PayoutDistributorContract.PayoutClaimedEvent(1, Alice, 600), PayoutDistributorContract.DecodePayoutClaimedEvent(paid.Topics, paid.Data));
        await Chain.SendAsync(Carol, s.Distributor, PayoutDistributorContract.ClaimFor(1, Bob));
        Assert.Equal((UInt256)600, await CoinBalanceAsync(s.Coin, Alice));
        Assert.Equal((UInt256)400, await CoinBalanceAsync(s.Coin, Bob));

        await ExpectErrorAsync(s.Distributor, Alice, PayoutDistributorContract.Claim(1), "AlreadyClaimed", PayoutDistributorContract.Abi);
        await ExpectErrorAsync(s.Distributor, Admin, PayoutDistributorContract.Claim(1), "HolderExcluded", PayoutDistributorContract.Abi);
        await ExpectErrorAsync(s.Distributor, Carol, PayoutDistributorContract.Claim(1), "NothingToClaim", PayoutDistributorContract.Abi);
        IReadOnlyList<object> early = await ExpectErrorAsync(s.Distributor, Admin, PayoutDistributorContract.Reclaim(1, Admin), "ClaimPeriodNotOver", PayoutDistributorContract.Abi);
        Assert.Equal((UInt256)s.Deadline, (UInt256)early[1]);
    }

    [Fact]
    public async Task Dust_StaysInThePayout_AndIsReclaimedAfterTheDeadline_WithTheUnclaimedRest()
    {
        Setup s = await SetupAsync();
        // 1,001 over a base of 100: Alice 600.6 → 600, Bob 400.4 → 400, dust 1.
        await AdminAsync(s.Distributor, PayoutDistributorContract.CreatePayout(s.Coin, 1001, 1, s.Deadline, [Admin]));
        Assert.Equal((UInt256)600, PayoutDistributorContract.DecodeEntitlement(await Chain.CallAsync(s.Distributor, PayoutDistributorContract.Entitlement(1, Alice))));
        await Chain.SendAsync(Alice, s.Distributor, PayoutDistributorContract.Claim(1));

        await Chain.MineAtAsync(s.Deadline + 1);
        await ExpectErrorAsync(s.Distributor, Bob, PayoutDistributorContract.Claim(1), "ClaimPeriodOver", PayoutDistributorContract.Abi);
        await ExpectErrorAsync(s.Distributor, Bob, PayoutDistributorContract.Reclaim(1, Bob), "AccessControlUnauthorizedAccount", PayoutDistributorContract.Abi);
        ChainReceipt reclaimed = await AdminAsync(s.Distributor, PayoutDistributorContract.Reclaim(1, Dave));
        ChainLog log = reclaimed.LogsWith(PayoutDistributorContract.PayoutReclaimedTopic).Single();
        Assert.Equal(new PayoutDistributorContract.PayoutReclaimedEvent(1, Dave, 401), PayoutDistributorContract.DecodePayoutReclaimedEvent(log.Topics, log.Data));
        Assert.Equal((UInt256)401, await CoinBalanceAsync(s.Coin, Dave));
        Assert.Equal(UInt256.Zero, await CoinBalanceAsync(s.Coin, s.Distributor));
        await ExpectErrorAsync(s.Distributor, Admin, PayoutDistributorContract.Reclaim(1, Dave), "AlreadyReclaimed", PayoutDistributorContract.Abi);

        (Address asset, UInt256 amount, _, _, UInt256 @base, UInt256 claimedTotal, bool isReclaimed) =
            PayoutDistributorContract.DecodeGetPayout(await Chain.CallAsync(s.Distributor, PayoutDistributorContract.GetPayout(1)));
        Assert.Equal((s.Coin, (UInt256)1001, (UInt256)100, (UInt256)600, true), (asset, amount, @base, claimedTotal, isReclaimed));
    }

    [Fact]
    public async Task BatchPush_PaysEveryHolderOnce_WithholdsUnverified_AndReRunningPaysNobodyTwice()
    {
        Setup s = await SetupAsync();
        await AdminAsync(s.Token, SecurityTokenContract.SetAddressRestriction(Bob, Kyc, 0));
        Assert.False(SecurityTokenContract.DecodeIsVerified(await Chain.CallAsync(s.Token, SecurityTokenContract.IsVerified(Bob))));
        await AdminAsync(s.Distributor, PayoutDistributorContract.CreatePayout(s.Coin, 1000, 1, s.Deadline, [Admin]));
        await ExpectErrorAsync(s.Distributor, Bob, PayoutDistributorContract.Claim(1), "HolderNotVerified", PayoutDistributorContract.Abi);

        ChainReceipt first = await AdminAsync(s.Distributor, PayoutDistributorContract.BatchPush(1, [Admin, Alice, Bob, Carol]));
        Assert.Single(first.LogsWith(PayoutDistributorContract.PayoutClaimedTopic));
        ChainLog withheld = first.LogsWith(PayoutDistributorContract.PayoutWithheldTopic).Single();
        Assert.Equal(new PayoutDistributorContract.PayoutWithheldEvent(1, Bob), PayoutDistributorContract.DecodePayoutWithheldEvent(withheld.Topics, withheld.Data));

        await AdminAsync(s.Token, SecurityTokenContract.SetAddressRestriction(Bob, Kyc, 1));
        ChainReceipt second = await AdminAsync(s.Distributor, PayoutDistributorContract.BatchPush(1, [Admin, Alice, Bob, Carol]));
        Assert.Single(second.LogsWith(PayoutDistributorContract.PayoutClaimedTopic));
        ChainReceipt third = await AdminAsync(s.Distributor, PayoutDistributorContract.BatchPush(1, [Alice, Bob]));
        Assert.Empty(third.LogsWith(PayoutDistributorContract.PayoutClaimedTopic));
        Assert.Equal((UInt256)600, await CoinBalanceAsync(s.Coin, Alice));
        Assert.Equal((UInt256)400, await CoinBalanceAsync(s.Coin, Bob));
        Assert.True(PayoutDistributorContract.DecodeHasClaimed(await Chain.CallAsync(s.Distributor, PayoutDistributorContract.HasClaimed(1, Bob))));
    }

    [Fact]
    public async Task CreatePayout_RejectsPastDeadlinesDuplicateExclusionsAndUnknownSnapshots()
    {
        Setup s = await SetupAsync();
        ulong now = await Chain.LatestTimestampAsync();
        await ExpectErrorAsync(s.Distributor, Admin, PayoutDistributorContract.CreatePayout(s.Coin, 1000, 1, now, []), "DeadlineInPast", PayoutDistributorContract.Abi);
        await ExpectErrorAsync(s.Distributor, Admin, PayoutDistributorContract.CreatePayout(s.Coin, 1000, 1, s.Deadline, [Admin, Admin]), "DuplicateExclusion", PayoutDistributorContract.Abi);
        byte[] unknown = await Chain.CallExpectingRevertAsync(Admin, s.Distributor, PayoutDistributorContract.CreatePayout(s.Coin, 1000, 2, s.Deadline, []));
        Assert.Equal("NonexistentSnapshot", SecurityTokenContract.DecodeRevert(unknown).Error!.Name);
        await ExpectErrorAsync(s.Distributor, Alice, PayoutDistributorContract.CreatePayout(s.Coin, 1000, 1, s.Deadline, []), "AccessControlUnauthorizedAccount", PayoutDistributorContract.Abi);
        await ExpectErrorAsync(s.Distributor, Alice, PayoutDistributorContract.Claim(9), "UnknownPayout", PayoutDistributorContract.Abi);
        await ExpectErrorAsync(s.Distributor, Admin, PayoutDistributorContract.CreatePayout(s.Coin, 1000, 1, s.Deadline, [Admin, Alice, Bob]), "EmptyBase", PayoutDistributorContract.Abi);

        // Two payouts on one snapshot are independent (sto allowed one per database).
        await AdminAsync(s.Distributor, PayoutDistributorContract.CreatePayout(s.Coin, 100, 1, s.Deadline, []));
        await AdminAsync(s.Distributor, PayoutDistributorContract.CreatePayout(s.Coin, 100, 1, s.Deadline, [Admin]));
        await Chain.SendAsync(Alice, s.Distributor, PayoutDistributorContract.Claim(1));
        await Chain.SendAsync(Alice, s.Distributor, PayoutDistributorContract.Claim(2));
        Assert.Equal((UInt256)(6 + 60), await CoinBalanceAsync(s.Coin, Alice));
    }

    private async Task<UInt256> CoinBalanceAsync(Address coin, Address account) =>
        TestStablecoinContract.DecodeBalanceOf(await Chain.CallAsync(coin, TestStablecoinContract.BalanceOf(account)));
}
