using System.Globalization;
using Azure.Identity;
using Azure.Security.KeyVault.Keys;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StoFunctions.Azure.KeyVault;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Data.Tables;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Distributions;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Pipeline;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Pipeline.Signers;

namespace StoFunctions.Composition;

/// <summary>
/// Wires the platform (storage, chain, signer, command service, lanes) the command API's functions use.
/// Active when <c>Ethereum:RpcUrl</c> is set; without it only health works (so a host can be tested without a chain).
/// </summary>
public static class StoPlatform
{
    /// <summary>True when <paramref name="configuration"/> turns the platform on (<c>Ethereum:RpcUrl</c> set).</summary>
    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration?["Ethereum:RpcUrl"]);

    /// <summary>Registers the platform when <see cref="IsEnabled"/>.</summary>
    public static IServiceCollection AddStoPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
        {
            return services;
        }

        if (!StorageAccount.IsConfigured(configuration))
        {
            throw new InvalidOperationException("Ethereum:RpcUrl is set but AzureWebJobsStorage is empty; the command API needs storage. Set AzureWebJobsStorage (\"UseDevelopmentStorage=true\" for Azurite) or its identity-based settings (AzureWebJobsStorage__accountName).");
        }

        if (string.Equals(configuration["Signer:Mode"], "KeyVault", StringComparison.OrdinalIgnoreCase))
        {
            // Checked here, at composition, so the app stops with this message: resolved lazily, it failed in whichever
            // background service first asked for the signer, and the host's shutdown then hid it behind an
            // ObjectDisposedException from another one.
            _ = KeyVaultUrl(configuration);
        }

        services.AddStorageAccount(configuration);
        // A frozen node leaves one warning (and one line when it answers again) instead of silence until the RPC timeout.
        services.TryAddSingleton(sp => new JsonRpcClient(new Uri(configuration["Ethereum:RpcUrl"]!), new JsonRpcClientOptions { StallObserver = new RpcStallLog(sp.GetRequiredService<ILoggerFactory>().CreateLogger("StoFunctions.Rpc")) }));
        // Key Vault mode signs through this client: DefaultAzureCredential (the app's managed identity in Azure,
        // AZURE_CLIENT_ID naming a user-assigned one). A KeyClient the host or a test registers replaces this one.
        services.TryAddSingleton(_ => new KeyClient(KeyVaultUrl(configuration), new DefaultAzureCredential()));
        services.TryAddSingleton(sp => OpenSigner(configuration, ChainId(configuration, sp.GetRequiredService<JsonRpcClient>()), sp));
        // Crash points stay inert unless FAULT_CRASH_AT is set (child-process crash tests); then the process dies
        // there with Environment.FailFast, like a kill -9 at that instruction.
        services.TryAddSingleton(_ => FaultInjector.FromEnvironment());
        // Read now so a bad host.json value stops the app at startup; the chain's defaults need the chain id (maybe an RPC call), so they are applied lazily.
        LaneSettings laneSettings = LaneSettings.Read(configuration);
        services.AddSingleton(sp => laneSettings.ApplyTo(LocalKeySigner.DevChainIds.Contains(ChainId(configuration, sp.GetRequiredService<JsonRpcClient>())) ? LaneOptions.DevChain : new LaneOptions()));
        services.AddSingleton(sp =>
        {
            var rpc = sp.GetRequiredService<JsonRpcClient>();
            var lane = new LaneId(ChainId(configuration, rpc), sp.GetRequiredService<ISigner>().Address);
            return new IssuerChain(rpc, lane, sp.GetRequiredService<TableServiceClient>().GetTableClient(Platform.LedgerTableName));
        });
        services.AddSingleton(sp =>
        {
            var tables = sp.GetRequiredService<TableServiceClient>();
            IssuerChain chain = sp.GetRequiredService<IssuerChain>();
            var rpc = chain.Rpc;
            var lane = chain.Lane;
            var ledger = new LedgerTable(tables.GetTableClient(Platform.LedgerTableName));
            var commands = new CommandService(
                tables.GetTableClient(Platform.CommandsTable), ledger, rpc, lane,
                sp.GetServices<ICommandPlanner>(), sp.GetRequiredService<FaultInjector>(), wake: null, sp.GetServices<ICommandAdmission>(),
                new LedgerReconciler(ledger, rpc, sp.GetRequiredService<ILoggerFactory>().CreateLogger("StoFunctions.Reconciler"), sp.GetRequiredService<LaneOptions>()),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("StoFunctions.Commands"));
            return new Platform(tables, sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<QueueServiceClient>(), rpc, lane, commands);
        });
        services.AddSingleton(sp =>
        {
            Platform platform = sp.GetRequiredService<Platform>();
            LaneOptions options = sp.GetRequiredService<LaneOptions>();
            var lane = new TransactionLane(platform.Lane, platform.Ledger, platform.Rpc, sp.GetRequiredService<ISigner>(), options, sp.GetRequiredService<FaultInjector>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("StoFunctions.Lane"));
            // Runs the lane in slices for LaneOrchestrator (LaneSliceActivity), never as a background loop.
            return new LaneRunner(lane, platform.Blobs.GetBlobContainerClient(Platform.LeasesContainer), sp.GetRequiredService<ILoggerFactory>().CreateLogger("StoFunctions.LaneRunner"), TimeSpan.FromSeconds(15));
        });
        services.AddSingleton<LaneWaker>();
        services.AddHostedService<PlatformStartup>();

        CommandCatalog.AddPlanners(services);
        services.AddSingleton<ICommandAdmission, DistributionAdmission>();
        return services;
    }

    private static long ChainId(IConfiguration configuration, JsonRpcClient rpc) =>
        configuration["Ethereum:ChainId"] is { Length: > 0 } text
            ? long.Parse(text, CultureInfo.InvariantCulture)
            : (long)rpc.GetChainIdAsync().GetAwaiter().GetResult();

    private static Uri KeyVaultUrl(IConfiguration configuration) =>
        configuration["Signer:KeyVaultUrl"] is { Length: > 0 } url
            ? Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps
                ? uri
                : throw new InvalidOperationException($"Signer:KeyVaultUrl '{url}' is not an absolute https URL; set it to https://<vault>.vault.azure.net/ (bearer tokens never travel in clear text).")
            : throw new InvalidOperationException("Signer:Mode is KeyVault but Signer:KeyVaultUrl is empty; set it to https://<vault>.vault.azure.net.");

    private static ISigner OpenSigner(IConfiguration configuration, long chainId, IServiceProvider services)
    {
        string mode = configuration["Signer:Mode"] ?? "Local";
        if (string.Equals(mode, "Local", StringComparison.OrdinalIgnoreCase))
        {
            string key = configuration["Signer:LocalPrivateKey"] is { Length: > 0 } k
                ? k
                : throw new InvalidOperationException("Signer:Mode is Local but Signer:LocalPrivateKey is empty. Set it to a dev chain test key, or use Signer:Mode KeyVault.");
            return new LocalKeySigner(PrivateKey.Parse(key), chainId);
        }

        if (string.Equals(mode, "KeyVault", StringComparison.OrdinalIgnoreCase))
        {
            string name = configuration["Signer:KeyName"] is { Length: > 0 } n ? n : throw new InvalidOperationException("Signer:Mode is KeyVault but Signer:KeyName is empty; set it to the secp256k1 key's name.");
            KeyClient keys = services.GetRequiredService<KeyClient>();
            string? version = configuration["Signer:KeyVersion"] is { Length: > 0 } v ? v : null;
            return KeyVaultEthereumSigner.CreateAsync(keys, name, version).GetAwaiter().GetResult();
        }

        throw new InvalidOperationException($"Signer:Mode '{mode}' is unknown; use Local (dev chains) or KeyVault.");
    }
}
