using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Kyc;

/// <summary>The stand-alone registry that tokens reference for delegated rules.</summary>
public sealed class KycRegistryTests(AnvilChain chain) : TokenTestBase(chain)
{
    private const ulong IsVerified = 42;

    [Fact]
    public async Task Values_AreSetReadAndDeleted_WithPreviousValueChecksAndEvents()
    {
        Address registry = await Chain.DeployAsync(KycRegistryContract.Deploy(Admin));
        Assert.Equal(Unset, await ValueAsync(registry, Alice));

        ChainReceipt set = await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, Unset, 1));
        Assert.Equal(new KycRegistryContract.AddressRestrictionUpdatedEvent(Alice, IsVerified, Unset, 1), KycRegistryContract.DecodeAddressRestrictionUpdatedEvent(set.Logs[0].Topics, set.Logs[0].Data));
        await ExpectErrorAsync(registry, Admin, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, Unset, 1), "PreviousValueMismatch", KycRegistryContract.Abi);
        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, 1, 0));
        Assert.Equal(0UL, await ValueAsync(registry, Alice));
        Assert.Equal((0UL, Unset), KycRegistryContract.DecodeGetAddressRestrictions(await Chain.CallAsync(registry, KycRegistryContract.GetAddressRestrictions(IsVerified, Alice, Bob))));

        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, Unset));
        Assert.Equal(Unset, await ValueAsync(registry, Alice));
        await ExpectErrorAsync(registry, Admin, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, Unset), "CannotDeleteNonexistentRestriction", KycRegistryContract.Abi);
        await ExpectErrorAsync(registry, Admin, KycRegistryContract.BatchSetAddressRestriction([Alice, Bob], IsVerified, [1]), "ArrayLengthMismatch", KycRegistryContract.Abi);
        await ExpectErrorAsync(registry, Alice, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, 2), "AccessControlUnauthorizedAccount", KycRegistryContract.Abi);
    }

    [Fact]
    public async Task OneRegistry_ServesManyTokens()
    {
        Address registry = await Chain.DeployAsync(KycRegistryContract.Deploy(Admin));
        await AdminAsync(registry, KycRegistryContract.BatchSetAddressRestriction([Admin, Bob], IsVerified, [2, 2]));
        Address shares = await DeployTokenAsync();
        Address bonds = await DeployTokenAsync();
        await AdminAsync(shares, SecurityTokenContract.SetGlobalRestriction(IsVerified, registry, 2, Eq));
        await AdminAsync(bonds, SecurityTokenContract.SetGlobalRestriction(IsVerified, registry, 1, Ge));
        await AdminAsync(shares, SecurityTokenContract.Mint(Bob, 1));
        await AdminAsync(bonds, SecurityTokenContract.Mint(Bob, 1));

        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Bob, IsVerified, 1));
        Assert.Equal(6, await DetectAsync(shares, Address.Zero, Bob, 1));
        Assert.Equal(0, await DetectAsync(bonds, Address.Zero, Bob, 1));
    }

    private async Task<ulong> ValueAsync(Address registry, Address account) =>
        KycRegistryContract.DecodeGetAddressRestriction(await Chain.CallAsync(registry, KycRegistryContract.GetAddressRestriction(IsVerified, account)));
}
