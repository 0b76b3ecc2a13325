using StoFunctions.Ethereum;
using Xunit.Abstractions;

namespace StoFunctions.Contracts.Tests.Token;

/// <summary>
/// Gas of a holder transfer measured from receipts, our token beside a plain OpenZeppelin ERC-20
/// (design/contracts.md goal: ≤ 75k to a new holder, ≤ 60k to an existing one with KYC + two rules + freeze + pause).
/// </summary>
public sealed class GasReportTests(AnvilChain chain, ITestOutputHelper output) : TokenTestBase(chain)
{
    private const ulong KycKey = 0x8000_0000_0000_0001;
    private const ulong CountryKey = 0x8000_0000_0000_0002;
    private const ulong AgeKey = 0x8000_0000_0000_0003;

    [Fact]
    public async Task TransferWithKycTwoRulesFreezeAndPause_StaysWithinTheGasGoals()
    {
        Address plain = await Chain.DeployAsync(PlainTokenContract.Deploy("Plain", "PLN", 1_000_000));
        long plainNew = (await Chain.SendAsync(Admin, plain, PlainTokenContract.Transfer(Alice, 5))).GasUsed;
        long plainExisting = (await Chain.SendAsync(Admin, plain, PlainTokenContract.Transfer(Alice, 5))).GasUsed;

        // KYC delegated to a registry (the costlier, realistic case) plus two rules held by the token itself.
        Address registry = await Chain.DeployAsync(KycRegistryContract.Deploy(Admin));
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(KycKey, registry, 2, Eq));
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(CountryKey, Address.Zero, 840, Ne));
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(AgeKey, Address.Zero, 18, Ge));
        Address[] holders = [Admin, Alice, Bob];
        await AdminAsync(registry, KycRegistryContract.BatchSetAddressRestriction(holders, KycKey, [2, 2, 2]));
        await AdminAsync(token, SecurityTokenContract.BatchSetAddressRestriction(holders, CountryKey, [246, 246, 752]));
        await AdminAsync(token, SecurityTokenContract.BatchSetAddressRestriction(holders, AgeKey, [40, 30, 50]));
        await AdminAsync(token, SecurityTokenContract.Mint(Admin, 1_000_000));

        long oursNew = (await TransferAsync(token, Admin, Alice, 5)).GasUsed;
        long oursExisting = (await TransferAsync(token, Admin, Alice, 5)).GasUsed;
        long oursHolderToNew = (await TransferAsync(token, Alice, Bob, 5)).GasUsed;

        output.WriteLine("transfer gas (receipt gasUsed)        new holder   existing holder");
        output.WriteLine($"PlainToken (OpenZeppelin ERC20)       {plainNew,10}   {plainExisting,15}");
        output.WriteLine($"SecurityToken KYC+2 rules+freeze+pause {oursNew,9}   {oursExisting,15}");
        output.WriteLine($"SecurityToken holder -> new holder     {oursHolderToNew,9}");
        output.WriteLine($"goal                                   {75_000,9}   {60_000,15}");

        Assert.Equal(51_553, plainNew);
        Assert.Equal(34_453, plainExisting);
        Assert.InRange(oursNew, plainNew, 75_000);
        Assert.InRange(oursExisting, plainExisting, 60_000);
        Assert.InRange(oursHolderToNew, plainNew, 75_000);
    }
}
