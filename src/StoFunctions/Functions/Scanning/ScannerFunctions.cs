using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Composition;
using StoFunctions.Hosting;
using StoFunctions.Pipeline;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Runtime;

namespace StoFunctions.Functions.Scanning;

/// <summary>
/// Registers the scanner: shared clients (TryAdd, so other features' registrations coexist), the domain services,
/// the HTTP routes and the <c>Scan</c> timer (schedule in host.json <c>stoFunctions.timers.Scan</c>).
/// </summary>
public static class ScannerFunctions
{
    /// <summary>The timer's name in host.json.</summary>
    public const string TimerName = "Scan";

    /// <summary>Adds everything the scanner needs; one line in Program.cs.</summary>
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
        services.AddHttpFunctions(Map);
        services.TryAddScoped<ScanTimerFunction>();
        if (StorageAccount.IsConfigured(configuration) && !string.IsNullOrEmpty(configuration["Ethereum:RpcUrl"]))
        {
            // Resumes scan commands a restart interrupted (a host without a node has nothing to scan with).
            services.AddHostedService(sp => sp.GetRequiredService<ScanJobs>());
        }

        if (StorageAccount.IsConfigured(configuration))
        {
            // The trigger runtime fails fast without storage; hosts without it (unit-test hosts) serve HTTP only.
            services.AddTimerFunction<ScanTimerFunction>(TimerName, o => o.Schedule ??= "0 * * * * *");
        }
        return services;
    }

    /// <summary>Maps the scanner routes relative to the route prefix.</summary>
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("tokens/{token}/scans", ScanEndpoints.ScanAsync).WithName("ScanToken");
        api.MapPut("tokens/{token}/watch", ScanEndpoints.WatchAsync).WithName("WatchToken");
        api.MapGet("tokens/{token}/holders", CapTableEndpoints.GetHoldersAsync).WithName("GetHolders");
        api.MapPut("identities", CapTableEndpoints.PutIdentitiesAsync).WithName("PutIdentities");
        // A constrained parameter outranks GetCommand's plain {id}, so only the scanner's ids come here.
        api.MapGet(ScanJobs.IdRoute, ScanEndpoints.GetStatusAsync).WithName("GetScanCommand");
    }
}
