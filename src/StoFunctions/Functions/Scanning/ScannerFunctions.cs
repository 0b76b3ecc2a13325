using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Composition;
using StoFunctions.Pipeline;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Scanning;

/// <summary>
/// Registers the scanner's services: shared clients (TryAdd, so other features' registrations coexist) and the
/// domain services its functions use (<see cref="ScanEndpoints"/>, <see cref="CapTableEndpoints"/>, the
/// <see cref="ScanTimerFunction"/> timer).
/// </summary>
public static class ScannerFunctions
{
    /// <summary>The timer function's name.</summary>
    public const string TimerName = "Scan";

    /// <summary>Adds everything the scanner's functions need.</summary>
    public static IServiceCollection AddScanner(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddStorageAccount(configuration);
        services.TryAddSingleton(sp => new JsonRpcClient(
            new Uri(configuration["Ethereum:RpcUrl"] ?? throw new InvalidOperationException("Ethereum:RpcUrl is not set; set Ethereum__RpcUrl to the node's JSON-RPC URL.")),
            new JsonRpcClientOptions { StallObserver = new RpcStallLog(sp.GetRequiredService<ILoggerFactory>().CreateLogger("StoFunctions.Rpc")) }));
        services.AddOptions<ScannerOptions>().BindConfiguration(ScannerOptions.Section);
        services.TryAddSingleton(sp => new ScanStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<ScannerOptions>>().Value, sp.GetService<FaultInjector>()));
        services.TryAddSingleton(sp => new TokenScanner(sp.GetRequiredService<JsonRpcClient>(), sp.GetRequiredService<ScanStore>(), sp.GetRequiredService<IOptions<ScannerOptions>>().Value));
        services.TryAddSingleton(sp => new CapTableBuilder(sp.GetRequiredService<JsonRpcClient>(), sp.GetRequiredService<ScanStore>()));
        services.TryAddSingleton<ScanJobs>();
        if (StorageAccount.IsConfigured(configuration) && !string.IsNullOrEmpty(configuration["Ethereum:RpcUrl"]))
        {
            // Resumes scan commands a restart interrupted (a host without a node has nothing to scan with).
            services.AddHostedService(sp => sp.GetRequiredService<ScanJobs>());
        }

        return services;
    }
}
