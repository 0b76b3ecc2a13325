using System.Reflection;
using Microsoft.DurableTask;
using StoFunctions.LocalHost.Functions;

namespace StoFunctions.LocalHost.Durable;

/// <summary>
/// A <c>[Function]</c> method with an <c>[OrchestrationTrigger] TaskOrchestrationContext</c> parameter as the
/// shim's orchestrator. The method is called on the orchestration's own scheduler and its task awaited there
/// (never with <c>ConfigureAwait(false)</c>: a continuation on the thread pool would finish the orchestration
/// outside the episode that replays it).
/// </summary>
internal sealed class FunctionOrchestrator(FunctionMethod function, ILoggerFactory loggerFactory) : ITaskOrchestrator
{
    private const string Bindable = "the [OrchestrationTrigger] TaskOrchestrationContext";

    public Type InputType => typeof(object);

    public Type OutputType => ResultType(function.Method);

    /// <summary>Checks at startup that every parameter of <paramref name="function"/> can be bound.</summary>
    public static void Validate(FunctionMethod function)
    {
        foreach (ParameterInfo parameter in function.Parameters)
        {
            if (parameter.ParameterType != typeof(TaskOrchestrationContext))
            {
                throw function.Unbindable(parameter, Bindable);
            }
        }
    }

    public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        var wrapped = new FunctionOrchestrationContext(context, input, loggerFactory);
        object? target = function.Method.IsStatic ? null : Activator.CreateInstance(function.Method.DeclaringType!);
        object? returned = function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, function.Parameters.Select(_ => (object?)wrapped).ToArray(), culture: null);
        if (returned is not Task task)
        {
            return returned;
        }

        await task.ConfigureAwait(true);
        return task.GetType().IsGenericType && task.GetType().GetProperty(nameof(Task<object>.Result)) is { } result && result.PropertyType.Name != "VoidTaskResult"
            ? result.GetValue(task)
            : null;
    }

    /// <summary>The type a method's result has once awaited (<c>T</c> of <c>Task&lt;T&gt;</c>), <c>object</c> for none.</summary>
    public static Type ResultType(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        Type returns = method.ReturnType;
        return returns.IsGenericType && returns.GetGenericTypeDefinition() is var g && (g == typeof(Task<>) || g == typeof(ValueTask<>))
            ? returns.GetGenericArguments()[0]
            : returns == typeof(void) || returns == typeof(Task) || returns == typeof(ValueTask) ? typeof(object) : returns;
    }
}
