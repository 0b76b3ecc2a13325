using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using StoFunctions.LocalHost.Functions;

namespace StoFunctions.LocalHost.Durable;

/// <summary>
/// A <c>[Function]</c> method with an <c>[ActivityTrigger]</c> parameter as the shim's activity: the input
/// arrives as that parameter's type, the class comes from a DI scope per run (as the worker creates function
/// classes), and <see cref="CancellationToken"/> is the host's shutdown.
/// </summary>
internal sealed class FunctionActivity(FunctionMethod function, ParameterInfo trigger, IServiceProvider services, CancellationToken stopping) : ITaskActivity
{
    private const string Bindable = "the [ActivityTrigger] input (any JSON-serializable type) and CancellationToken";

    public Type InputType => trigger.ParameterType;

    public Type OutputType => FunctionOrchestrator.ResultType(function.Method);

    /// <summary>Checks at startup that every parameter of <paramref name="function"/> can be bound.</summary>
    public static void Validate(FunctionMethod function)
    {
        foreach (ParameterInfo parameter in function.Parameters)
        {
            if (parameter.GetCustomAttribute<ActivityTriggerAttribute>() is null && parameter.ParameterType != typeof(CancellationToken))
            {
                throw function.Unbindable(parameter, Bindable);
            }
        }
    }

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        object?[] arguments = function.Parameters.Select(p => p.ParameterType == typeof(CancellationToken) && p != trigger ? stopping : input).ToArray();
        return await function.InvokeAsync(scope.ServiceProvider, arguments).ConfigureAwait(false);
    }
}
