using Microsoft.DurableTask.Client;

namespace StoFunctions.LocalHost.Durable;

/// <summary>Registers the local host's Durable backend, worker and the <see cref="DurableTaskClient"/> that <c>[DurableClient]</c> parameters get.</summary>
internal static class DurableFunctionExtensions
{
    /// <summary>Adds <paramref name="functions"/> on the task hub host.json names.</summary>
    public static IServiceCollection AddDurableFunctions(this IServiceCollection services, DurableFunctionSet functions, IConfiguration configuration)
    {
        DurableTaskOptions options = DurableTaskOptions.Read(configuration);
        services.AddSingleton(functions);
        services.AddSingleton(sp => new DurableBackend(configuration, options, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<DurableTaskClient>(sp => new TaskHubDurableClient(sp.GetRequiredService<DurableBackend>(), functions.Converter));
        services.AddHostedService<DurableTaskHost>();
        return services;
    }
}
