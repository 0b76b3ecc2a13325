using StoFunctions.Functions.Orchestration;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Tests.Functions.Orchestration;

public sealed class PollScheduleTests
{
    private static CommandProgress Ended(int transactions, int confirmed, int failed = 0) =>
        new(transactions, Planned: 0, Signed: 0, Broadcast: 0, Mined: 0, Confirmed: confirmed, Failed: failed);

    [Fact]
    public void Without_an_earlier_read_the_wait_grows_by_half_up_to_five_seconds()
    {
        TimeSpan wait = PollSchedule.First;
        var waits = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            wait = PollSchedule.Next(wait, null, Ended(10, 0));
            waits.Add(wait.TotalSeconds);
        }

        Assert.Equal([1.5, 2.25, 3.375, 5, 5, 5], waits);
    }

    [Fact]
    public void Nothing_ended_since_the_last_read_grows_the_wait_as_without_progress()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), PollSchedule.Next(TimeSpan.FromSeconds(2), Ended(2000, 300), Ended(2000, 300)));
    }

    [Fact]
    public void A_failed_read_grows_the_wait()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), PollSchedule.Next(TimeSpan.FromSeconds(2), Ended(2000, 300), null));
    }

    [Fact]
    public void While_transactions_end_the_next_read_goes_when_the_rate_says_the_rest_has_ended()
    {
        // 400 ended in 2 s, 100 open: 0.5 s more at that rate.
        Assert.Equal(TimeSpan.FromMilliseconds(500), PollSchedule.Next(TimeSpan.FromSeconds(2), Ended(1000, 500), Ended(1000, 850, failed: 50)));
    }

    [Fact]
    public void While_transactions_end_a_long_rest_is_read_again_after_one_second()
    {
        // 100 ended in 5 s, 1,500 open: 75 s at that rate, but the step stays 1 s while anything ends.
        Assert.Equal(TimeSpan.FromSeconds(1), PollSchedule.Next(TimeSpan.FromSeconds(5), Ended(2000, 400), Ended(2000, 500)));
    }

    [Theory]
    [InlineData(2_000, 1.0)]
    [InlineData(2_001, 1.0005)]
    [InlineData(6_000, 3.0)]
    [InlineData(10_000, 5.0)]
    [InlineData(19_000, 5.0)]
    public void While_many_transactions_are_open_a_long_rest_is_read_again_after_one_second_per_2000_of_them_up_to_five(int open, double seconds)
    {
        // 100 ended in 1 s: the rest takes longer than five seconds at that rate in every case.
        Assert.Equal(TimeSpan.FromSeconds(seconds), PollSchedule.Next(TimeSpan.FromSeconds(1), Ended(20_000, 19_900 - open), Ended(20_000, 20_000 - open)));
    }

    [Fact]
    public void While_many_transactions_are_open_a_short_rest_is_still_read_when_it_will_have_ended()
    {
        // 5,000 ended in 1 s, 10,000 open: 2 s at that rate, before the 5 s that 10,000 open rows allow.
        Assert.Equal(TimeSpan.FromSeconds(2), PollSchedule.Next(TimeSpan.FromSeconds(1), Ended(20_000, 5_000), Ended(20_000, 10_000)));
    }

    [Fact]
    public void While_transactions_end_the_wait_is_never_shorter_than_half_a_second()
    {
        // 999 ended in 1 s, 1 open: 1 ms at that rate.
        Assert.Equal(TimeSpan.FromMilliseconds(500), PollSchedule.Next(TimeSpan.FromSeconds(1), Ended(1000, 0), Ended(1000, 999)));
    }
}
