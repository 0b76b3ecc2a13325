using NCrontab;
using StoFunctions.Pipeline.Outages;

namespace StoFunctions.Runtime;

/// <summary>
/// Runs one timer function on its 6-field NCrontab schedule (UTC) as the Functions timer trigger does
/// (research/azure.md §4.2): only the instance holding the blob lease
/// <c>azure-webjobs-hosts/locks/{hostId}/{function}.Listener</c> runs the schedule (others retry every
/// <c>listenerLockRecoveryPollingInterval</c>); the status <c>timers/{hostId}/{function}/status</c> records
/// the last and next occurrence, so an occurrence missed while no instance ran is made up once as past due;
/// <c>runOnStartup</c> adds one run whenever an instance takes the schedule over. Registered by
/// <see cref="TriggerFunctionExtensions.AddTimerFunction{THandler}"/>.
/// </summary>
public sealed partial class TimerListener : BackgroundService
{
    // Task.Delay's limit is ~49 days; yearly schedules wait in steps.
    private static readonly TimeSpan s_longestWait = TimeSpan.FromDays(1);
    private readonly Func<IServiceProvider, ITimerFunction> _createHandler;
    private readonly TimerFunctionOptions _timer;
    private readonly CrontabSchedule _schedule;
    private readonly IServiceScopeFactory _scopes;
    private readonly TriggerStorage _storage;
    private readonly SingletonOptions _singleton;
    private readonly TriggerRuntimeOptions _runtime;
    private readonly ILogger _logger;
    private readonly OutageBackoff _storageOutage;
    private readonly OutageBackoff _handlerOutage;

    internal TimerListener(string functionName, Func<IServiceProvider, ITimerFunction> createHandler, TimerFunctionOptions timer, IServiceScopeFactory scopes, TriggerStorage storage, SingletonOptions singleton, TriggerRuntimeOptions runtime, ILogger<TimerListener> logger)
    {
        FunctionName = functionName;
        _createHandler = createHandler;
        _timer = timer;
        _schedule = ParseSchedule(functionName, timer.Schedule);
        _scopes = scopes;
        _storage = storage;
        _singleton = singleton;
        _runtime = runtime;
        _logger = logger;
        // Storage failures are retried sooner than a lock held elsewhere, but never later than the recovery interval.
        TimeSpan recovery = singleton.ListenerLockRecoveryPollingInterval;
        _storageOutage = new OutageBackoff($"Timer function {functionName}: lock or schedule status storage", logger, recovery < TimeSpan.FromSeconds(1) ? recovery : TimeSpan.FromSeconds(1), recovery);
        // Only used to log a run of failed invocations once; the schedule, not a backoff, decides when it runs again.
        _handlerOutage = new OutageBackoff($"Timer function {functionName}", logger, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The function's name (part of the lock and status blob names).</summary>
    public string FunctionName { get; }

    /// <summary>The lock blob's name in <c>azure-webjobs-hosts</c>.</summary>
    public string LockBlobName => $"locks/{_storage.HostId}/{FunctionName}.Listener";

    /// <summary>The status blob's name in <c>azure-webjobs-hosts</c>.</summary>
    public string StatusBlobName => $"timers/{_storage.HostId}/{FunctionName}/status";

    /// <summary>Parses a 6-field NCrontab expression (with seconds), with an error that names the function and the fix.</summary>
    /// <exception cref="InvalidOperationException">The expression is missing or malformed.</exception>
    public static CrontabSchedule ParseSchedule(string functionName, string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw new InvalidOperationException($"Timer function {functionName} has no schedule. Set the app setting its [TimerTrigger(\"%…%\")] names (local.settings.json Values or an environment variable; ScanSchedule for Scan), or host.json stoFunctions.timers.{functionName}.schedule on the local host, to a 6-field NCrontab expression, e.g. \"0 */5 * * * *\" (every 5 minutes).");
        }

        CrontabSchedule? schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return schedule ?? throw new InvalidOperationException($"Timer function {functionName} has schedule '{expression}', which is not a 6-field NCrontab expression (second minute hour day month day-of-week), e.g. \"0 */5 * * * *\".");
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _storage.EnsureConfigured();
        _logger.TimerListenerStarted(FunctionName, _timer.Schedule!, _timer.RunOnStartup);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                BlobLeaseLock? held = null;
                TimeSpan retry = _singleton.ListenerLockRecoveryPollingInterval;
                try
                {
                    held = await BlobLeaseLock.TryAcquireAsync(await _storage.HostBlobAsync(LockBlobName, stoppingToken).ConfigureAwait(false), _singleton.ListenerLockPeriod, createIfMissing: true, _logger, stoppingToken).ConfigureAwait(false);
                    _storageOutage.Succeeded();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    _storage.NoteFailure(e);
                    retry = _storageOutage.Failed(e);
                }

                if (held is null)
                {
                    await Task.Delay(retry, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                Exception? storageFailure;
                await using (held.ConfigureAwait(false))
                {
                    storageFailure = await RunScheduleAsync(held, stoppingToken).ConfigureAwait(false);
                    if (held.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                    {
                        _logger.TimerLockLost(FunctionName);
                    }
                }

                // Lost the lock, or storage failed under it: let a healthy instance take over before trying again
                // (after a storage failure sooner, with backoff: this instance is as healthy as any other).
                await Task.Delay(storageFailure is null ? _singleton.ListenerLockRecoveryPollingInterval : _storageOutage.Failed(storageFailure), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _logger.TimerListenerStopped(FunctionName);
    }

    /// <summary>Runs the schedule until the lock is lost or stop; returns the storage failure that ended it, if one did.</summary>
    private async Task<Exception?> RunScheduleAsync(BlobLeaseLock held, CancellationToken stoppingToken)
    {
        using var scheduleCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held.Lost);
        CancellationToken schedule = scheduleCts.Token;
        try
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            ScheduleStatus? status = _timer.UseMonitor ? await ReadStatusAsync(schedule).ConfigureAwait(false) : null;
            DateTimeOffset last = status?.Last ?? now;
            _logger.TimerLockAcquired(FunctionName, NextAfter(now));
            bool ranAtStart = false;
            if (status is not null && status.Next <= now)
            {
                await InvokeAsync(new TimerInfo { FunctionName = FunctionName, ScheduledTime = status.Next, IsPastDue = true, ScheduleStatus = status }, held, stoppingToken).ConfigureAwait(false);
                last = status.Next;
                status = await WriteStatusAsync(last).ConfigureAwait(false);
                ranAtStart = true;
            }
            else if (status is null && _timer.UseMonitor)
            {
                status = await WriteStatusAsync(default).ConfigureAwait(false);
            }

            if (_timer.RunOnStartup && !ranAtStart)
            {
                await InvokeAsync(new TimerInfo { FunctionName = FunctionName, ScheduledTime = now, IsStartupRun = true, ScheduleStatus = status }, held, stoppingToken).ConfigureAwait(false);
            }

            while (true)
            {
                now = DateTimeOffset.UtcNow;
                // Strictly after the last occurrence run, so a clock that wakes early cannot run one twice.
                DateTimeOffset next = NextAfter(now > last ? now : last);
                for (TimeSpan wait = next - DateTimeOffset.UtcNow; wait > TimeSpan.Zero; wait = next - DateTimeOffset.UtcNow)
                {
                    await Task.Delay(wait < s_longestWait ? wait : s_longestWait, schedule).ConfigureAwait(false);
                }

                await InvokeAsync(new TimerInfo { FunctionName = FunctionName, ScheduledTime = next, ScheduleStatus = status }, held, stoppingToken).ConfigureAwait(false);
                last = next;
                if (_timer.UseMonitor)
                {
                    status = await WriteStatusAsync(last).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (schedule.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Status storage failed: give the lock back and start over, so a healthy instance can take the schedule.
            // Also when the lock was lost meanwhile: a deleted host container fails the status write and the lease
            // renewal together, and that exception escaping stopped the whole app (BackgroundService failed).
            _storage.NoteFailure(e);
            return e;
        }

        return null;
    }

    private async Task InvokeAsync(TimerInfo timer, BlobLeaseLock held, CancellationToken stoppingToken)
    {
        // The handler may finish within the grace period after stop; it is cancelled at once if the lock is lost.
        using CancellationTokenSource handlerCts = _runtime.StartInvocation(held.Lost);
        using CancellationTokenRegistration grace = stoppingToken.Register(() => handlerCts.CancelAfter(_runtime.ShutdownGracePeriod));
        _logger.TimerInvoking(FunctionName, timer.ScheduledTime, timer.IsPastDue, timer.IsStartupRun);
        try
        {
            await using AsyncServiceScope scope = _scopes.CreateAsyncScope();
            ITimerFunction handler = _createHandler(scope.ServiceProvider);
            await handler.RunAsync(timer, handlerCts.Token).ConfigureAwait(false);
            _handlerOutage.Succeeded();
        }
        catch (Exception e) when (!(e is OperationCanceledException && handlerCts.IsCancellationRequested))
        {
            // Logged once per run of failures (then a "recovered" line), not at every occurrence of the schedule.
            _handlerOutage.Failed(e);
        }
        catch (OperationCanceledException e)
        {
            stoppingToken.ThrowIfCancellationRequested();
            held.Lost.ThrowIfCancellationRequested();
            _handlerOutage.Failed(new TimeoutException($"The function ran longer than functionTimeout {_runtime.FunctionTimeout} and was cancelled.", e));
        }
    }

    private DateTimeOffset NextAfter(DateTimeOffset time) =>
        new(DateTime.SpecifyKind(_schedule.GetNextOccurrence(time.UtcDateTime), DateTimeKind.Utc));
}
