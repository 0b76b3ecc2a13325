using StoFunctions.Runtime;

namespace StoFunctions.Tests.Runtime;

public sealed class RandomizedExponentialBackoffTests
{
    private static readonly TimeSpan s_min = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Empty_polls_grow_within_the_jitter_band_and_stop_at_the_maximum()
    {
        var backoff = new RandomizedExponentialBackoff(s_min, TimeSpan.FromSeconds(2), new Random(7));

        Assert.Equal(s_min, backoff.Next(foundWork: false));
        for (int k = 1; k <= 4; k++)
        {
            double step = Math.Pow(2, k - 1) * 100;
            Assert.InRange(backoff.Next(foundWork: false).TotalMilliseconds, 100 + (0.8 * step), 100 + (1.2 * step));
        }

        for (int i = 0; i < 20; i++)
        {
            backoff.Next(foundWork: false);
        }

        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next(foundWork: false));
    }

    [Fact]
    public void A_poll_that_found_work_resets_the_delay_to_the_minimum_and_the_growth_starts_over()
    {
        var backoff = new RandomizedExponentialBackoff(s_min, TimeSpan.FromMinutes(1), new Random(1));
        for (int i = 0; i < 30; i++)
        {
            backoff.Next(foundWork: false);
        }

        Assert.Equal(TimeSpan.FromMinutes(1), backoff.Next(foundWork: false));
        Assert.Equal(s_min, backoff.Next(foundWork: true));
        Assert.Equal(s_min, backoff.Next(foundWork: false));
        Assert.InRange(backoff.Next(foundWork: false).TotalMilliseconds, 180, 220);
    }
}
