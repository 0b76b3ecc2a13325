using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Runtime;

/// <summary>
/// A generic host running trigger functions on the shared Azurite with short test intervals. Several hosts
/// built with the same host id behave like instances of one app on one storage account.
/// </summary>
internal static class TriggerTestHost
{
    public static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..16];

    public static async Task<IHost> StartAsync(string hostId, Action<IServiceCollection> register, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = await AzuriteProcess.SharedAsync(),
            ["AzureFunctionsWebHost:hostid"] = hostId,
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.500",
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "3",
            ["AzureFunctionsJobHost:extensions:blobs:poisonBlobThreshold"] = "5",
            ["AzureFunctionsJobHost:singleton:listenerLockPeriod"] = "00:00:15",
            ["AzureFunctionsJobHost:singleton:listenerLockRecoveryPollingInterval"] = "00:00:00.300",
            ["AzureFunctionsJobHost:stoFunctions:runtime:messageLeaseDuration"] = "00:00:02",
            ["AzureFunctionsJobHost:stoFunctions:runtime:blobPollingInterval"] = "00:00:00.300",
            ["AzureFunctionsJobHost:stoFunctions:runtime:shutdownGracePeriod"] = "00:00:02",
        };
        foreach ((string key, string? value) in settings ?? [])
        {
            values[key] = value;
        }

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("STO_TEST_LOG_LEVEL") ?? "Warning"));
        register(builder.Services);
        IHost host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout} waiting for: {what}");
            }

            await Task.Delay(100);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout, what);
}
