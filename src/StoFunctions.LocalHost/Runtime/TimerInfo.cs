namespace StoFunctions.Runtime;

/// <summary>What a timer function is told about its invocation (Azure Functions' <c>TimerInfo</c>).</summary>
public sealed class TimerInfo
{
    /// <summary>The function name.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The occurrence this invocation is for (UTC); the start time for a runOnStartup invocation.</summary>
    public DateTimeOffset ScheduledTime { get; init; }

    /// <summary>True when the invocation makes up for an occurrence missed while no instance held the schedule.</summary>
    public bool IsPastDue { get; init; }

    /// <summary>True for the extra invocation <c>runOnStartup</c> asks for.</summary>
    public bool IsStartupRun { get; init; }

    /// <summary>The persisted schedule status before this invocation (null the first time the timer ever runs).</summary>
    public ScheduleStatus? ScheduleStatus { get; init; }
}
