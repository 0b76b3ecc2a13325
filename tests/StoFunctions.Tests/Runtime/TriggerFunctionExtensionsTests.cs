using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Hosting;
using StoFunctions.Runtime;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Runtime;

public sealed class TriggerFunctionExtensionsTests
{
    private static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        register(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_repository_host_json_binds_to_the_runtime_options_with_Functions_key_names()
    {
        var settings = new Dictionary<string, string?>(FunctionsConfiguration.ReadHostJson(Path.Combine(RepoPaths.Root, "host.json")))
        {
            ["AzureFunctionsWebHost:hostid"] = "from-environment",
        };
        using ServiceProvider provider = Build(settings, s => s.AddTimerFunction<ProbeTimerFunction>("Scan"));

        QueuesOptions queues = provider.GetRequiredService<IOptions<QueuesOptions>>().Value;
        Assert.Equal(
            (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), 16, 5, 8, QueueMessageEncoding.Base64),
            (queues.MaxPollingInterval, queues.VisibilityTimeout, queues.BatchSize, queues.MaxDequeueCount, queues.EffectiveNewBatchThreshold, queues.MessageEncoding));
        BlobsOptions blobs = provider.GetRequiredService<IOptions<BlobsOptions>>().Value;
        Assert.Equal((4, 5), (blobs.MaxDegreeOfParallelism, blobs.PoisonBlobThreshold));
        SingletonOptions singleton = provider.GetRequiredService<IOptions<SingletonOptions>>().Value;
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), (singleton.ListenerLockPeriod, singleton.ListenerLockRecoveryPollingInterval));
        TriggerRuntimeOptions runtime = provider.GetRequiredService<IOptions<TriggerRuntimeOptions>>().Value;
        Assert.Equal(("from-environment", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)), (runtime.HostId, runtime.FunctionTimeout, runtime.MessageLeaseDuration));
        TimerFunctionOptions scan = provider.GetRequiredService<IOptionsMonitor<TimerFunctionOptions>>().Get("Scan");
        Assert.Equal(("*/10 * * * * *", false, true), (scan.Schedule, scan.RunOnStartup, scan.UseMonitor));
    }

    [Fact]
    public void Without_settings_the_options_have_the_Azure_Functions_defaults()
    {
        using ServiceProvider provider = Build(new Dictionary<string, string?>(), s => s.AddTriggerRuntime());

        QueuesOptions queues = provider.GetRequiredService<IOptions<QueuesOptions>>().Value;
        Assert.Equal(
            (TimeSpan.FromMinutes(1), TimeSpan.Zero, 16, 5, 8, QueueMessageEncoding.Base64),
            (queues.MaxPollingInterval, queues.VisibilityTimeout, queues.BatchSize, queues.MaxDequeueCount, queues.EffectiveNewBatchThreshold, queues.MessageEncoding));
        Assert.Equal(5, provider.GetRequiredService<IOptions<BlobsOptions>>().Value.PoisonBlobThreshold);
        TriggerRuntimeOptions runtime = provider.GetRequiredService<IOptions<TriggerRuntimeOptions>>().Value;
        Assert.Equal(("stofunctions", null), (runtime.HostId, runtime.FunctionTimeout));
    }

    [Fact]
    public void Code_defaults_for_a_timer_are_overridden_by_host_json()
    {
        using ServiceProvider provider = Build(
            new Dictionary<string, string?> { ["AzureFunctionsJobHost:stoFunctions:timers:Scan:runOnStartup"] = "true" },
            s => s.AddTimerFunction<ProbeTimerFunction>("Scan", o => (o.Schedule, o.RunOnStartup) = ("0 0 * * * *", false)));

        TimerFunctionOptions scan = provider.GetRequiredService<IOptionsMonitor<TimerFunctionOptions>>().Get("Scan");
        Assert.Equal(("0 0 * * * *", true), (scan.Schedule, scan.RunOnStartup));
    }

    [Fact]
    public void Registering_two_functions_under_one_name_is_refused()
    {
        var services = new ServiceCollection();
        services.AddQueueFunction<ProbeQueueFunction>("sto-commands");

        var error = Assert.Throws<InvalidOperationException>(() => services.AddQueueFunction<ProbeQueueFunction>("other-queue"));
        Assert.Contains("'ProbeQueueFunction' is already registered (queue sto-commands)", error.Message, StringComparison.Ordinal);
    }
}
