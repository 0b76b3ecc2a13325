using StoFunctions.Functions.Payouts;

namespace StoFunctions.Tests.Functions.Payouts;

public sealed class PushBatchesTests
{
    [Theory]
    [InlineData(30_000_000UL, 149)]
    [InlineData(36_000_000UL, 179)]
    [InlineData(1_000_000UL, 4)]
    [InlineData(100_000UL, 1)]
    [InlineData(1_000_000_000UL, 500)]
    public void Size_IsHalfABlockOfHolderBudgets_BetweenOneAnd500(ulong blockGasLimit, int expected)
    {
        Assert.Equal(expected, PushBatches.Size(blockGasLimit));
    }

    [Fact]
    public void AFullBatch_FitsInHalfTheBlock()
    {
        int size = PushBatches.Size(30_000_000);

        Assert.Equal(14_980_000UL, (PushBatches.GasPerBatch + ((ulong)size * PushBatches.GasPerHolder)));
        Assert.True((PushBatches.GasPerBatch + ((ulong)size * PushBatches.GasPerHolder)) <= 15_000_000);
    }
}
