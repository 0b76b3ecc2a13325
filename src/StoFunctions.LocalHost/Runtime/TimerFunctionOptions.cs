namespace StoFunctions.Runtime;

/// <summary>
/// One timer's settings: named options bound from host.json <c>stoFunctions.timers.{name}</c>, e.g.
/// <c>{"schedule": "0 */5 * * * *", "runOnStartup": false}</c>.
/// </summary>
public sealed class TimerFunctionOptions
{
    /// <summary>The configuration section holding one object per timer name.</summary>
    public const string Section = "AzureFunctionsJobHost:stoFunctions:timers";

    /// <summary>The 6-field NCrontab expression (<c>second minute hour day month day-of-week</c>, UTC).</summary>
    public string? Schedule { get; set; }

    /// <summary>Also run once whenever this instance takes over the schedule (Functions' <c>RunOnStartup</c>; not for production).</summary>
    public bool RunOnStartup { get; set; }

    /// <summary>Persist the schedule status and make up a missed occurrence as past due (Functions' <c>UseMonitor</c>, default true).</summary>
    public bool UseMonitor { get; set; } = true;
}
