using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StoFunctions.Hosting;

namespace StoFunctions.Runtime;

/// <summary>
/// Registers queue, blob and timer functions: one hosted listener per function, configured from host.json
/// (<c>extensions.queues</c>, <c>extensions.blobs</c>, <c>singleton</c>, <c>stoFunctions.runtime</c>,
/// <c>stoFunctions.timers</c>) and running on the <c>AzureWebJobsStorage</c> account. Handlers are resolved
/// from a new DI scope per invocation (registered scoped unless already registered).
/// </summary>
public static class TriggerFunctionExtensions
{
    /// <summary>
    /// Registers the runtime's shared services and options (idempotent; the Add*Function methods call it).
    /// Options are validated at host start, so a broken host.json stops the app with a message naming the key.
    /// </summary>
    public static IServiceCollection AddTriggerRuntime(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(TriggerStorage)))
        {
            return services;
        }

        services.AddOptions<QueuesOptions>().BindConfiguration(QueuesOptions.Section).ValidateOnStart();
        services.AddOptions<BlobsOptions>().BindConfiguration(BlobsOptions.Section).ValidateOnStart();
        services.AddOptions<SingletonOptions>().BindConfiguration(SingletonOptions.Section).ValidateOnStart();
        services.AddOptions<TriggerRuntimeOptions>()
            .BindConfiguration(TriggerRuntimeOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (configuration[TriggerRuntimeOptions.HostIdSetting] is { Length: > 0 } hostId)
                {
                    options.HostId = hostId;
                }

                string? timeout = configuration[FunctionsConfiguration.HostSection + ":functionTimeout"];
                if (!string.IsNullOrEmpty(timeout) && timeout != "-1")
                {
                    options.FunctionTimeout = TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out TimeSpan parsed)
                        ? parsed
                        : throw new InvalidDataException($"host.json functionTimeout '{timeout}' is not a hh:mm:ss duration or -1. Use e.g. \"00:10:00\".");
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueuesOptions>>(new OptionsRules<QueuesOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<BlobsOptions>>(new OptionsRules<BlobsOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<SingletonOptions>>(new OptionsRules<SingletonOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<TriggerRuntimeOptions>>(new OptionsRules<TriggerRuntimeOptions>(o => o.Validate()));

        // The host must wait for the grace period before it gives up on stopping listeners.
        services.AddOptions<HostOptions>().Configure<IOptions<TriggerRuntimeOptions>>((host, runtime) =>
        {
            TimeSpan needed = runtime.Value.ShutdownGracePeriod + TimeSpan.FromSeconds(10);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        services.TryAddSingleton<TriggerStorage>();
        return services;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> for every message of <paramref name="queueName"/> (created if
    /// missing; failures end in <c>{queueName}-poison</c>). The function is named after the handler type.
    /// </summary>
    public static IServiceCollection AddQueueFunction<THandler>(this IServiceCollection services, string queueName)
        where THandler : class, IQueueFunction
    {
        services.TryAddScoped<THandler>();
        return services.AddQueueFunction(typeof(THandler).Name, queueName, sp => sp.GetRequiredService<THandler>());
    }

    /// <summary>
    /// Runs the handler <paramref name="createHandler"/> makes (from the invocation's DI scope) for every message of
    /// <paramref name="queueName"/> (created if missing; failures end in <c>{queueName}-poison</c>).
    /// </summary>
    public static IServiceCollection AddQueueFunction(this IServiceCollection services, string functionName, string queueName, Func<IServiceProvider, IQueueFunction> createHandler)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(createHandler);
        RegisterName(services, functionName, "queue " + queueName);
        services.AddTriggerRuntime();
        services.AddSingleton<IHostedService>(sp => new QueueListener(
            functionName,
            queueName,
            createHandler,
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<TriggerStorage>(),
            sp.GetRequiredService<IOptions<QueuesOptions>>().Value,
            sp.GetRequiredService<IOptions<TriggerRuntimeOptions>>().Value,
            sp.GetRequiredService<ILogger<QueueListener>>()));
        return services;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> once per version of every blob in <paramref name="container"/>
    /// (created if missing). <paramref name="configure"/> sets a name prefix and an exclusion predicate.
    /// The function is named after the handler type (receipts are kept per function name).
    /// </summary>
    public static IServiceCollection AddBlobFunction<THandler>(this IServiceCollection services, string container, Action<BlobFunctionOptions>? configure = null)
        where THandler : class, IBlobFunction
    {
        var function = new BlobFunctionOptions { Container = container };
        configure?.Invoke(function);
        services.TryAddScoped<THandler>();
        return services.AddBlobFunction(typeof(THandler).Name, function, sp => sp.GetRequiredService<THandler>());
    }

    /// <summary>
    /// Runs the handler <paramref name="createHandler"/> makes once per version of every blob <paramref name="function"/>
    /// selects (its container is created if missing). Receipts are kept per <paramref name="functionName"/>.
    /// </summary>
    public static IServiceCollection AddBlobFunction(this IServiceCollection services, string functionName, BlobFunctionOptions function, Func<IServiceProvider, IBlobFunction> createHandler)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentException.ThrowIfNullOrEmpty(function.Container);
        ArgumentNullException.ThrowIfNull(createHandler);
        RegisterName(services, functionName, "container " + function.Container);
        services.AddTriggerRuntime();
        services.AddSingleton<IHostedService>(sp => new BlobListener(
            functionName,
            createHandler,
            function,
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<TriggerStorage>(),
            sp.GetRequiredService<IOptions<BlobsOptions>>().Value,
            sp.GetRequiredService<IOptions<TriggerRuntimeOptions>>().Value,
            sp.GetRequiredService<ILogger<BlobListener>>()));
        return services;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> on the schedule in host.json <c>stoFunctions.timers.{name}</c>
    /// (<c>schedule</c>, <c>runOnStartup</c>, <c>useMonitor</c>), on one instance at a time.
    /// <paramref name="configure"/> gives code defaults; host.json values override them.
    /// </summary>
    public static IServiceCollection AddTimerFunction<THandler>(this IServiceCollection services, string name, Action<TimerFunctionOptions>? configure = null)
        where THandler : class, ITimerFunction
    {
        services.TryAddScoped<THandler>();
        return services.AddTimerFunction(name, sp => sp.GetRequiredService<THandler>(), configure);
    }

    /// <summary>
    /// Runs the handler <paramref name="createHandler"/> makes on the schedule <paramref name="configure"/> gives,
    /// overridden by host.json <c>stoFunctions.timers.{name}</c>, on one instance at a time.
    /// </summary>
    public static IServiceCollection AddTimerFunction(this IServiceCollection services, string name, Func<IServiceProvider, ITimerFunction> createHandler, Action<TimerFunctionOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(createHandler);
        RegisterName(services, name, "timer");
        services.AddTriggerRuntime();
        OptionsBuilder<TimerFunctionOptions> options = services.AddOptions<TimerFunctionOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.BindConfiguration(TimerFunctionOptions.Section + ConfigurationPath.KeyDelimiter + name);
        services.AddSingleton<IHostedService>(sp => new TimerListener(
            name,
            createHandler,
            sp.GetRequiredService<IOptionsMonitor<TimerFunctionOptions>>().Get(name),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<TriggerStorage>(),
            sp.GetRequiredService<IOptions<SingletonOptions>>().Value,
            sp.GetRequiredService<IOptions<TriggerRuntimeOptions>>().Value,
            sp.GetRequiredService<ILogger<TimerListener>>()));
        return services;
    }

    // Locks, receipts and status are keyed by function name: two functions sharing one would share them.
    private static void RegisterName(IServiceCollection services, string name, string source)
    {
        if (services.Select(d => d.IsKeyedService ? null : d.ImplementationInstance).OfType<TriggerFunctionName>().FirstOrDefault(f => f.Name == name) is { } existing)
        {
            throw new InvalidOperationException($"A trigger function named '{name}' is already registered ({existing.Source}); cannot add it again for {source}. Use a distinct handler type (queue and blob functions are named after it) or timer name.");
        }

        services.AddSingleton(new TriggerFunctionName(name, source));
    }

    private sealed record TriggerFunctionName(string Name, string Source);
}
