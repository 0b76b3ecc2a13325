using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Pipeline.Tests.Commands;

/// <summary>A command's nonces over several ranges (keys adopted from an earlier submission split them), by position.</summary>
public sealed class CommandNonceRangeTests
{
    private static readonly (ulong From, ulong To)[] s_ranges = [(10, 12), (20, 20), (30, 31)];

    [Theory]
    [InlineData(0, 10)]
    [InlineData(2, 12)]
    [InlineData(3, 20)]
    [InlineData(4, 30)]
    [InlineData(5, 31)]
    public void The_nonce_at_a_position_counts_through_the_ranges_in_order(int index, ulong nonce) =>
        Assert.Equal(nonce, CommandService.NonceAt(s_ranges, index));

    [Fact]
    public void A_position_past_the_last_nonce_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CommandService.NonceAt(s_ranges, 6));

    [Fact]
    public void Skipping_nonces_drops_whole_ranges_and_starts_the_next_one_where_the_skip_ends()
    {
        Assert.Equal(s_ranges, CommandService.RangesAfter(s_ranges, 0));
        Assert.Equal([(11UL, 12UL), (20UL, 20UL), (30UL, 31UL)], CommandService.RangesAfter(s_ranges, 1));
        Assert.Equal([(20UL, 20UL), (30UL, 31UL)], CommandService.RangesAfter(s_ranges, 3));
        Assert.Equal([(31UL, 31UL)], CommandService.RangesAfter(s_ranges, 5));
        Assert.Empty(CommandService.RangesAfter(s_ranges, 6));
    }
}
