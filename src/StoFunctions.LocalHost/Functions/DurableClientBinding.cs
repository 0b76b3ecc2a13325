using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// The <c>[DurableClient] DurableTaskClient</c> input binding, for any trigger: the local host's client over its
/// task hub (<see cref="Durable.TaskHubDurableClient"/>), where the Functions host would hand the worker its own.
/// </summary>
internal static class DurableClientBinding
{
    /// <summary>What the binders name when a parameter cannot be bound.</summary>
    public const string Bindable = "[DurableClient] DurableTaskClient";

    /// <summary>True for a <c>[DurableClient] DurableTaskClient</c> parameter.</summary>
    public static bool Binds(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<DurableClientAttribute>() is not null && parameter.ParameterType == typeof(DurableTaskClient);

    /// <summary>
    /// The client from <paramref name="services"/>; null when the local host runs no task hub (Durable needs
    /// AzureWebJobsStorage and Ethereum:RpcUrl at startup), so a function that does not reach its client (e.g.
    /// GET of a scanner command) still runs.
    /// </summary>
    public static DurableTaskClient? Resolve(IServiceProvider services) => services.GetService<DurableTaskClient>();
}
