using System.Reflection;
using Microsoft.Azure.Functions.Worker;


namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// A <c>[TimerTrigger]</c> function as the timer listener's handler: the worker's <see cref="TimerInfo"/>
/// (past due, schedule status), the invocation's <see cref="CancellationToken"/> and a <c>[DurableClient]</c>.
/// </summary>
internal sealed class TimerFunctionInvocation(FunctionMethod function, IServiceProvider services) : Runtime.ITimerFunction
{
    private const string Bindable = "the [TimerTrigger] TimerInfo, CancellationToken and " + DurableClientBinding.Bindable;

    /// <summary>Checks at startup that every parameter of <paramref name="function"/> can be bound.</summary>
    public static void Validate(FunctionMethod function)
    {
        foreach (ParameterInfo parameter in function.Parameters)
        {
            bool trigger = parameter.GetCustomAttribute<TimerTriggerAttribute>() is not null;
            if (!(trigger ? parameter.ParameterType == typeof(TimerInfo) : parameter.ParameterType == typeof(CancellationToken) || DurableClientBinding.Binds(parameter)))
            {
                throw function.Unbindable(parameter, Bindable);
            }
        }
    }

    /// <inheritdoc />
    public async Task RunAsync(Runtime.TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var info = new TimerInfo
        {
            IsPastDue = timer.IsPastDue,
            ScheduleStatus = timer.ScheduleStatus is { } status ? new ScheduleStatus { Last = status.Last.UtcDateTime, Next = status.Next.UtcDateTime, LastUpdated = status.LastUpdated.UtcDateTime } : null,
        };
        object?[] arguments = function.Parameters.Select(p =>
            p.ParameterType == typeof(CancellationToken) ? cancellationToken
            : DurableClientBinding.Binds(p) ? DurableClientBinding.Resolve(services)
            : (object)info).ToArray();
        await function.InvokeAsync(services, arguments).ConfigureAwait(false);
    }
}
