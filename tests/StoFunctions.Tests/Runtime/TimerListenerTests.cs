using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StoFunctions.Runtime;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Runtime;

public sealed class TimerListenerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private static Task<IHost> StartAsync(string hostId, string instance, TimerProbe probe, string schedule, bool runOnStartup = false) =>
        TriggerTestHost.StartAsync(hostId, s => s
            .AddSingleton(probe)
            .AddSingleton(new ProbeHostName(instance))
            .AddTimerFunction<ProbeTimerFunction>("Scan"),
            new()
            {
                ["AzureFunctionsJobHost:stoFunctions:timers:Scan:schedule"] = schedule,
                ["AzureFunctionsJobHost:stoFunctions:timers:Scan:runOnStartup"] = runOnStartup ? "true" : "false",
            });

    [Fact]
    public async Task Two_instances_on_one_storage_run_each_occurrence_once()
    {
        string hostId = TriggerTestHost.NewName("h");
        var probe = new TimerProbe();
        using IHost one = await StartAsync(hostId, "one", probe, "* * * * * *");
        using IHost two = await StartAsync(hostId, "two", probe, "* * * * * *");

        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count >= 4, s_timeout, "4 occurrences");
        await Task.WhenAll(one.StopAsync(), two.StopAsync());

        var times = probe.Calls.Select(c => c.Timer.ScheduledTime).ToList();
        Assert.Equal(times.Count, times.Distinct().Count());
        Assert.Single(probe.Calls.Select(c => c.Host).Distinct());
        Assert.All(times, t => Assert.Equal(0, t.Millisecond));
        Assert.All(probe.Calls, c => Assert.False(c.Timer.IsPastDue));
        // Strictly increasing: never one occurrence twice. (Under load one may be skipped: like Functions, the next
        // occurrence is computed after the previous run and its status write, and missed ones are not replayed.)
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second:O} after {pair.First:O}"));
    }

    [Fact]
    public async Task RunOnStartup_runs_once_at_start_although_the_next_occurrence_is_far_away()
    {
        var probe = new TimerProbe();
        DateTimeOffset before = DateTimeOffset.UtcNow;
        using IHost host = await StartAsync(TriggerTestHost.NewName("h"), "a", probe, "0 0 0 1 1 *", runOnStartup: true);

        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count == 1, s_timeout, "startup run");
        await Task.Delay(1000);
        await host.StopAsync();

        TimerInfo timer = Assert.Single(probe.Calls).Timer;
        Assert.True(timer.IsStartupRun);
        Assert.False(timer.IsPastDue);
        Assert.InRange(timer.ScheduledTime, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_occurrence_missed_while_no_instance_ran_is_made_up_once_as_past_due_by_the_next_instance()
    {
        string hostId = TriggerTestHost.NewName("h");
        var probe = new TimerProbe();
        using (IHost first = await StartAsync(hostId, "first", probe, "*/2 * * * * *"))
        {
            await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count == 1, s_timeout, "first occurrence");
            await first.StopAsync();
        }

        DateTimeOffset lastRun = probe.Calls.Single().Timer.ScheduledTime;
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        using IHost second = await StartAsync(hostId, "second", probe, "*/2 * * * * *");
        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count >= 3, s_timeout, "past-due run and one regular occurrence");
        await second.StopAsync();

        var calls = probe.Calls.ToArray();
        Assert.Equal(("second", true), (calls[1].Host, calls[1].Timer.IsPastDue));
        // The status named the occurrence after the last one run; the gap's later occurrences are not replayed.
        Assert.Equal(lastRun.AddSeconds(2), calls[1].Timer.ScheduledTime);
        Assert.Equal(lastRun, calls[1].Timer.ScheduleStatus!.Last);
        Assert.Equal(("second", false), (calls[2].Host, calls[2].Timer.IsPastDue));
        Assert.True(calls[2].Timer.ScheduledTime > DateTimeOffset.UtcNow.AddSeconds(-5));
        Assert.Equal(1, calls.Count(c => c.Timer.IsPastDue));
    }

    [Fact]
    public async Task A_second_instance_takes_over_the_schedule_when_the_lock_holder_stops()
    {
        string hostId = TriggerTestHost.NewName("h");
        var probe = new TimerProbe();
        IHost one = await StartAsync(hostId, "one", probe, "* * * * * *");
        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count >= 1, s_timeout, "first instance runs");
        using IHost two = await StartAsync(hostId, "two", probe, "* * * * * *");
        await Task.Delay(1500);
        await one.StopAsync();
        one.Dispose();
        int before = probe.Calls.Count;

        // The stopped instance released its lease, so the other takes over at its next lock poll (0.3 s), not
        // after the 15 s lease would have expired.
        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Any(c => c.Host == "two"), TimeSpan.FromSeconds(6), "second instance runs");
        await two.StopAsync();

        Assert.All(probe.Calls.Take(before), c => Assert.Equal("one", c.Host));
        var times = probe.Calls.Select(c => c.Timer.ScheduledTime).ToList();
        Assert.Equal(times.Count, times.Distinct().Count());
    }

    [Fact]
    public async Task Host_container_deleted_under_a_running_occurrence_the_status_write_fails_after_the_lock_is_lost_and_the_app_keeps_running()
    {
        // Its own Azurite: deleting the host container under the shared one would disturb other classes' locks.
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        var probe = new TimerProbe();
        var deleting = new HostContainerDeletingTimerFunction(probe, azurite.ConnectionString);
        using IHost host = await TriggerTestHost.StartAsync(TriggerTestHost.NewName("h"), s => s
            .AddSingleton(deleting)
            .AddTimerFunction<HostContainerDeletingTimerFunction>("Scan"),
            new()
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["AzureFunctionsJobHost:stoFunctions:timers:Scan:schedule"] = "* * * * * *",
            });
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        // The first occurrence deletes the container and returns normally only once its lock is gone, so the
        // status write that follows meets both a missing container and a cancelled schedule.
        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count >= 2, TimeSpan.FromSeconds(120), "an occurrence after the host container was deleted");

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the app stopped: the listener's exception escaped");
        Assert.True(deleting.SawLockLost);
        await host.StopAsync();
    }

    [Fact]
    public void A_schedule_that_is_not_six_field_NCrontab_is_rejected_with_the_key_to_fix()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => TimerListener.ParseSchedule("Scan", null));
        Assert.Contains("stoFunctions.timers.Scan.schedule", missing.Message, StringComparison.Ordinal);
        var fiveFields = Assert.Throws<InvalidOperationException>(() => TimerListener.ParseSchedule("Scan", "*/5 * * * *"));
        Assert.Contains("'*/5 * * * *'", fiveFields.Message, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 5, 0), TimerListener.ParseSchedule("Scan", "0 */5 * * * *").GetNextOccurrence(new DateTime(2026, 1, 1, 0, 0, 0)));
    }
}
