using StoFunctions.Ethereum;
using StoFunctions.Functions.Payouts;

namespace StoFunctions.Tests.Functions.Payouts;

public sealed class ProRataTests
{
    private static readonly UInt256 s_ether = UInt256.Parse("1000000000000000000");
    private static readonly Address s_holder300 = Address.Parse("0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6");
    private static readonly Address s_holder500 = Address.Parse("0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2");

    [Fact]
    public void HundredEtherOver300And500Of9999_IsStosExactWeiAmounts()
    {
        UInt256 total = (UInt256)100UL * s_ether;
        UInt256 supply = (UInt256)9999UL * s_ether;

        IReadOnlyList<(Address Holder, UInt256 Amount)> shares = ProRata.Split(
            [(s_holder300, (UInt256)300UL * s_ether), (s_holder500, (UInt256)500UL * s_ether)], total, supply);

        Assert.Equal([(s_holder300, UInt256.Parse("3000300030003000300")), (s_holder500, UInt256.Parse("5000500050005000500"))], shares);
    }

    [Fact]
    public void SixtyFortyOfAHundredUnitBase_WithTheTreasuryLeftOutOfTheBase_Is600And400Of1000()
    {
        Assert.Equal((UInt256)600UL, ProRata.Share(60, 1000, 100));
        Assert.Equal((UInt256)400UL, ProRata.Share(40, 1000, 100));
    }

    [Fact]
    public void ThreeEqualHoldersOfTen_GetThreeEach_AndOneUnitOfDustRemains()
    {
        var holders = new[] { (s_holder300, (UInt256)1UL), (s_holder500, (UInt256)1UL), (Address.Parse("0x1111111111111111111111111111111111111111"), (UInt256)1UL) };

        IReadOnlyList<(Address Holder, UInt256 Amount)> shares = ProRata.Split(holders, 10, 3);

        Assert.All(shares, s => Assert.Equal((UInt256)3UL, s.Amount));
        Assert.Equal((UInt256)9UL, shares.Aggregate(UInt256.Zero, (sum, s) => sum + s.Amount));
    }

    [Fact]
    public void ShareThatRoundsToZero_IsLeftOut()
    {
        IReadOnlyList<(Address Holder, UInt256 Amount)> shares = ProRata.Split([(s_holder300, (UInt256)1UL), (s_holder500, (UInt256)9998UL)], 9, 9999);

        Assert.Equal([(s_holder500, (UInt256)8UL)], shares);
    }

    [Fact]
    public void ProductBeyond256Bits_IsStillExact()
    {
        UInt256 max = UInt256.MaxValue;

        Assert.Equal(max - (UInt256)1UL, ProRata.Share(max - (UInt256)1UL, max, max));
        Assert.Equal(UInt256.Parse("57896044618658097711785492504343953926634992332820282019728792003956564819967"), ProRata.Share(max / (UInt256)2UL, max, max));
    }

    [Fact]
    public void ZeroBase_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ProRata.Share(0, 10, 0));
        Assert.Contains("base", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BalanceAboveTheBase_Throws()
    {
        Assert.Throws<ArgumentException>(() => ProRata.Share(11, 10, 10));
    }
}
