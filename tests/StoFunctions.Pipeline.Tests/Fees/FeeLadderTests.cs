using System.Numerics;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Fees;

namespace StoFunctions.Pipeline.Tests.Fees;

public sealed class FeeLadderTests
{
    private static readonly FeePolicy s_policy = new() { MaxFeePerGasCap = (UInt256)1_000_000_000_000UL, MinPriorityFeePerGas = UInt256.One };

    [Theory]
    [InlineData(1UL, 2UL)]
    [InlineData(9UL, 10UL)]
    [InlineData(10UL, 11UL)]
    [InlineData(11UL, 13UL)]
    [InlineData(100UL, 110UL)]
    [InlineData(101UL, 112UL)]
    [InlineData(1_000_000_000UL, 1_100_000_000UL)]
    public void MinimumReplacement_RoundsUpAndAddsAtLeastOneWei(ulong old, ulong expected)
    {
        Assert.Equal((UInt256)expected, FeeLadder.MinimumReplacement((UInt256)old));
    }

    [Fact]
    public void Bump_OneWeiTip_BecomesTwoWei()
    {
        FeePair? next = FeeLadder.Bump(new FeePair((UInt256)10UL, UInt256.One), UInt256.Zero, UInt256.Zero, s_policy with { BumpPercent = 10 });
        Assert.Equal(new FeePair((UInt256)11UL, (UInt256)2UL), next);
    }

    [Fact]
    public void Bump_DefaultTwentyPercent_RaisesBothFieldsByTwentyPercentRoundedUp()
    {
        FeePair? next = FeeLadder.Bump(new FeePair((UInt256)1001UL, (UInt256)101UL), UInt256.Zero, UInt256.Zero, s_policy);
        Assert.Equal(new FeePair((UInt256)1202UL, (UInt256)122UL), next);
    }

    [Fact]
    public void Bump_RandomInputs_AlwaysSatisfyGethRuleBaseFeeAndCap()
    {
        var random = new Random(20260601);
        int bumped = 0, capped = 0;
        for (int i = 0; i < 5000; i++)
        {
            UInt256 tip = RandomWei(random), maxFee = tip + RandomWei(random), baseFee = RandomWei(random), market = RandomWei(random);
            var policy = s_policy with { BumpPercent = random.Next(0, 60), MaxFeePerGasCap = RandomWei(random) + UInt256.One };
            var old = new FeePair(maxFee, tip);
            FeePair? next = FeeLadder.Bump(old, baseFee, market, policy);
            if (next is not FeePair n)
            {
                // Only the cap may stop a bump: a valid replacement of maxFee would exceed it.
                Assert.True(FeeLadder.MinimumReplacement(maxFee) > policy.MaxFeePerGasCap || FeeLadder.MinimumReplacement(tip) > policy.MaxFeePerGasCap, $"no bump for {old} cap {policy.MaxFeePerGasCap}");
                capped++;
                continue;
            }

            bumped++;
            BigInteger oldFee = maxFee, oldTip = tip, newFee = n.MaxFeePerGas, newTip = n.MaxPriorityFeePerGas;
            Assert.True(newFee > oldFee && newTip > oldTip);
            Assert.True(newFee * 100 >= oldFee * 110 && newTip * 100 >= oldTip * 110, $"below +10%: {old} -> {n}");
            Assert.True(n.MaxFeePerGas <= policy.MaxFeePerGasCap);
            Assert.True(n.MaxPriorityFeePerGas <= n.MaxFeePerGas);
            if ((BigInteger)baseFee + newTip <= policy.MaxFeePerGasCap)
            {
                Assert.True((BigInteger)n.MaxFeePerGas >= (BigInteger)baseFee + newTip, $"maxFee below baseFee+tip: {n} base {baseFee}");
            }
        }

        Assert.True(bumped > 1000 && capped > 100, $"bumped {bumped}, capped {capped}");
    }

    [Fact]
    public void Bump_AtTheCap_ReturnsNullInsteadOfAnUnderpricedReplacement()
    {
        var policy = s_policy with { MaxFeePerGasCap = (UInt256)105UL };
        Assert.Null(FeeLadder.Bump(new FeePair((UInt256)100UL, (UInt256)10UL), UInt256.Zero, UInt256.Zero, policy));
    }

    [Fact]
    public void Initial_AllowsTwoBaseFeesPlusTipAndAppliesMinimumTip()
    {
        var policy = new FeePolicy { MinPriorityFeePerGas = (UInt256)1_000_000_000UL };
        Assert.Equal(new FeePair((UInt256)3_000_000_000UL, (UInt256)1_000_000_000UL), FeeLadder.Initial((UInt256)1_000_000_000UL, (UInt256)5UL, policy));
    }

    [Theory]
    [InlineData(100UL, 10UL, 110UL, 11UL, true)]
    [InlineData(100UL, 10UL, 109UL, 11UL, false)]
    [InlineData(100UL, 10UL, 110UL, 10UL, false)]
    [InlineData(5UL, 5UL, 6UL, 6UL, true)]
    public void IsValidReplacement_FollowsGethListAdd(ulong oldFee, ulong oldTip, ulong newFee, ulong newTip, bool valid)
    {
        Assert.Equal(valid, FeeLadder.IsValidReplacement(new FeePair((UInt256)oldFee, (UInt256)oldTip), new FeePair((UInt256)newFee, (UInt256)newTip)));
    }

    private static UInt256 RandomWei(Random random) => random.Next(4) switch
    {
        0 => (UInt256)(ulong)random.Next(0, 20),
        1 => (UInt256)(ulong)random.NextInt64(0, 1_000_000),
        _ => (UInt256)(ulong)random.NextInt64(0, 500_000_000_000),
    };
}
