using Microsoft.Extensions.DependencyInjection.Extensions;
using StoFunctions.Functions.Health;
using StoFunctions.Functions.Scanning;

namespace StoFunctions.Composition;

/// <summary>
/// Every service the functions take from DI, registered in one call. The Function App (<c>FunctionApp</c>) and
/// the local host (<c>src/StoFunctions.LocalHost</c>) both call it, so the functions run on the same services
/// under either host.
/// </summary>
public static class StoFunctionsServices
{
    /// <summary>Registers health, the scanner and (when <c>Ethereum:RpcUrl</c> is set) the platform.</summary>
    public static IServiceCollection AddStoFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton<DependencyHealth>();
        services.AddScanner(configuration);
        services.AddStoPlatform(configuration);
        return services;
    }
}
