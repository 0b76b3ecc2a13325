using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using StoFunctions.Azure.Storage;
using StoFunctions.Composition;
using StoFunctions.Hosting;
using StoFunctions.LocalHost.Durable;
using StoFunctions.Runtime;

namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// Registers the Function App's <c>[Function]</c> methods with the local host, as the Functions host indexes them:
/// <c>[HttpTrigger]</c> as endpoints under the route prefix, <c>[QueueTrigger]</c>, <c>[BlobTrigger]</c> and
/// <c>[TimerTrigger]</c> on the trigger runtime's listeners, <c>[OrchestrationTrigger]</c> and <c>[ActivityTrigger]</c>
/// on a Durable task hub worker (<see cref="DurableTaskHost"/>). Trigger names and schedules of the form
/// <c>%Setting%</c> are read from configuration, as the host reads app settings.
/// </summary>
public static class LocalFunctions
{
    /// <summary>
    /// Adds every function of <paramref name="assembly"/>. Queue, blob and timer functions listen only when
    /// <c>AzureWebJobsStorage</c> and <c>Ethereum:RpcUrl</c> are set (the services they run on need both); without
    /// them the host serves HTTP, so health answers. A parameter the local host cannot bind stops the app here.
    /// </summary>
    public static IServiceCollection AddFunctionsFrom(this IServiceCollection services, Assembly assembly, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IReadOnlyList<FunctionMethod> functions = FunctionMethod.FindAll(assembly);
        bool triggers = StorageAccount.IsConfigured(configuration) && StoPlatform.IsEnabled(configuration);
        var http = new List<(FunctionMethod Function, HttpTriggerAttribute Trigger)>();
        var durable = new DurableFunctionSet();
        foreach (FunctionMethod function in functions)
        {
            if (durable.TryAdd(function))
            {
                continue;
            }

            if (function.Trigger<HttpTriggerAttribute>() is { } h)
            {
                http.Add((function, h.Trigger));
            }
            else if (function.Trigger<QueueTriggerAttribute>() is { } q)
            {
                QueueFunctionInvocation.Validate(function);
                if (triggers)
                {
                    string queue = Resolve(configuration, function, q.Trigger.QueueName);
                    services.AddQueueFunction(function.Name, queue, sp => new QueueFunctionInvocation(function, sp));
                }
            }
            else if (function.Trigger<BlobTriggerAttribute>() is { } b)
            {
                BlobPath path = BlobPath.Parse(Resolve(configuration, function, b.Trigger.BlobPath));
                BlobFunctionInvocation.Validate(function, path);
                if (triggers)
                {
                    // The Functions host invokes a blob function only for names its path matches.
                    var options = new BlobFunctionOptions { Container = path.Container, Exclude = name => path.Match(name) is null };
                    services.AddBlobFunction(function.Name, options, sp => new BlobFunctionInvocation(function, path, sp));
                }
            }
            else if (function.Trigger<TimerTriggerAttribute>() is { } t)
            {
                TimerFunctionInvocation.Validate(function);
                if (triggers)
                {
                    TimerTriggerAttribute timer = t.Trigger;
                    string? schedule = ResolveOrNull(configuration, timer.Schedule);
                    services.AddTimerFunction(function.Name, sp => new TimerFunctionInvocation(function, sp), o =>
                    {
                        o.Schedule = schedule;
                        o.RunOnStartup = timer.RunOnStartup;
                        o.UseMonitor = timer.UseMonitor;
                    });
                }
            }
            else
            {
                throw new InvalidOperationException($"Function {function.Name} ({function.Describe()}) has no trigger the local host runs (HttpTrigger, QueueTrigger, BlobTrigger, TimerTrigger, OrchestrationTrigger, ActivityTrigger).");
            }
        }

        if (triggers)
        {
            // Orchestrations and activities run on the task hub, and [DurableClient] parameters get its client.
            services.AddDurableFunctions(durable, configuration);
        }

        foreach ((FunctionMethod function, HttpTriggerAttribute trigger) in http)
        {
            // Mapped when the app starts (UseStoFunctionsHost); a route or parameter the local host cannot serve stops it there.
            services.AddHttpFunctions(api => HttpFunctionEndpoint.Map(api, function, trigger));
        }

        return services;
    }

    // "%Name%" is an app setting, as in the Functions host; anything else is literal.
    private static string? ResolveOrNull(IConfiguration configuration, string value) =>
        value is ['%', .., '%'] && value.Length > 2 ? configuration[value[1..^1].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] : value;

    private static string Resolve(IConfiguration configuration, FunctionMethod function, string value) =>
        ResolveOrNull(configuration, value) is { Length: > 0 } resolved
            ? resolved
            : throw new InvalidOperationException($"Function {function.Name} names the app setting {value}, which is not set. Set {value.Trim('%')} (local.settings.json Values or an environment variable).");
}
