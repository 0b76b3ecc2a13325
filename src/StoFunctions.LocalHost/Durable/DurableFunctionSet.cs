using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using StoFunctions.LocalHost.Functions;

namespace StoFunctions.LocalHost.Durable;

/// <summary>The Function App's orchestrator and activity functions, and the converter their inputs and outputs travel with.</summary>
internal sealed class DurableFunctionSet
{
    /// <summary>Functions with an <c>[OrchestrationTrigger]</c> parameter.</summary>
    public List<FunctionMethod> Orchestrators { get; } = [];

    /// <summary>Functions with an <c>[ActivityTrigger]</c> parameter, and that parameter.</summary>
    public List<(FunctionMethod Function, ParameterInfo Trigger)> Activities { get; } = [];

    /// <summary>System.Text.Json, the isolated worker's default serializer.</summary>
    public DataConverter Converter { get; } = JsonDataConverter.Default;

    /// <summary>Adds <paramref name="function"/> when it is an orchestrator or activity (checking its parameters); false otherwise.</summary>
    public bool TryAdd(FunctionMethod function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.Trigger<OrchestrationTriggerAttribute>() is not null)
        {
            FunctionOrchestrator.Validate(function);
            Orchestrators.Add(function);
            return true;
        }

        if (function.Trigger<ActivityTriggerAttribute>() is { } activity)
        {
            FunctionActivity.Validate(function);
            Activities.Add((function, activity.Parameter));
            return true;
        }

        return false;
    }
}
