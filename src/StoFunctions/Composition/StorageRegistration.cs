using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StoFunctions.Azure.Storage;

namespace StoFunctions.Composition;

/// <summary>Registers the <c>AzureWebJobsStorage</c> account and its service clients once, for every feature that needs them.</summary>
public static class StorageRegistration
{
    /// <summary>
    /// Adds <see cref="StorageAccount"/> (resolved on first use) and its Table, Blob and Base64 Queue service clients.
    /// TryAdd: a registration made earlier (a test's) wins.
    /// </summary>
    public static IServiceCollection AddStorageAccount(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => StorageAccount.FromConfiguration(configuration));
        services.TryAddSingleton<TableServiceClient>(sp => sp.GetRequiredService<StorageAccount>().Tables);
        services.TryAddSingleton<BlobServiceClient>(sp => sp.GetRequiredService<StorageAccount>().Blobs);
        services.TryAddSingleton<QueueServiceClient>(sp => sp.GetRequiredService<StorageAccount>().Queues);
        return services;
    }
}
