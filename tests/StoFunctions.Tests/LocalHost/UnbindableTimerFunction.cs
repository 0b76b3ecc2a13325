using Microsoft.Azure.Functions.Worker;

namespace StoFunctions.Tests.LocalHost;

/// <summary>
/// The only [Function] of the test assembly: a timer that asks for a <see cref="FunctionContext"/>, which the
/// local host does not provide (<see cref="LocalFunctionsTests"/>).
/// </summary>
public static class UnbindableTimerFunction
{
    [Function("NeedsContext")]
    public static void Run([TimerTrigger("0 * * * * *")] TimerInfo timer, FunctionContext context)
    {
    }
}
