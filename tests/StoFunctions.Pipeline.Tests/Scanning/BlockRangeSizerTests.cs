using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.Tests.Scanning;

public sealed class BlockRangeSizerTests
{
    [Fact]
    public void Sparse_ranges_double_the_size_up_to_the_maximum()
    {
        var sizer = new BlockRangeSizer(100, 1_000, 1_000);
        int[] sizes = new int[5];
        for (int i = 0; i < sizes.Length; i++)
        {
            sizer.Observe(sizer.Size, events: 10, splits: 0);
            sizes[i] = sizer.Size;
        }

        Assert.Equal([200, 400, 800, 1_000, 1_000], sizes);
    }

    [Fact]
    public void Dense_ranges_shrink_in_proportion_to_the_target_and_never_below_one_block()
    {
        var sizer = new BlockRangeSizer(1_000, 10_000, 1_000);
        sizer.Observe(1_000, events: 4_000, splits: 0);
        Assert.Equal(250, sizer.Size);
        sizer.Observe(250, events: 1_000_000, splits: 0);
        Assert.Equal(1, sizer.Size);
    }

    [Fact]
    public void A_split_range_sets_the_size_to_the_accepted_half_and_a_short_tail_range_does_not_grow_it()
    {
        var sizer = new BlockRangeSizer(1_000, 10_000, 1_000);
        sizer.Observe(1_000, events: 100, splits: 2);
        Assert.Equal(250, sizer.Size);
        sizer.Observe(10, events: 0, splits: 0);
        Assert.Equal(250, sizer.Size);
        sizer.Observe(250, events: 300, splits: 0);
        Assert.Equal(250, sizer.Size);
    }

    [Theory]
    [InlineData(-32005, "query returned more than 10000 results", true)]
    [InlineData(-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range", true)]
    [InlineData(-32000, "block range is too large", true)]
    [InlineData(-32000, "exceed maximum block range: 50000", true)]
    [InlineData(-32000, "execution reverted", false)]
    [InlineData(-32601, "the method eth_getLogs does not exist/is not available", false)]
    public void Provider_limit_errors_are_recognised_by_code_or_text(int code, string message, bool expected) =>
        Assert.Equal(expected, ProviderLimits.IsRangeLimit(new JsonRpcException("eth_getLogs", code, message, null)));
}
