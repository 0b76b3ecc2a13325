using System.Globalization;

namespace StoFunctions.Testing;

/// <summary>
/// What <see cref="AppProcess"/> starts the app with. <see cref="Settings"/> are configuration keys in the
/// app's own spelling (<c>Ethereum:RpcUrl</c>, <c>AzureFunctionsJobHost:extensions:queues:maxPollingInterval</c>);
/// they reach the child as environment variables with <c>__</c> for <c>:</c>, the way the Functions host reads
/// them. <c>FAULT_CRASH_AT</c> is a setting like any other.
/// </summary>
public sealed class AppProcessOptions
{
    /// <summary>The function key the app accepts (header <c>x-functions-key</c>); <see cref="AppProcess.Client"/> sends it.</summary>
    public const string FunctionKey = "child-app-function-key-41c7";

    /// <summary>The admin key the app accepts for admin routes.</summary>
    public const string AdminKey = "child-app-admin-key-7e02";

    /// <summary>Configuration keys and values (null or empty clears a setting the test process may have).</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a start may take until <c>/api/health</c> answers. Default 180 s: a deadline, not an expectation (a 2-core machine running two suites at once).</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>
    /// The settings of the full platform: storage, chain, the Local signer with <paramref name="signerPrivateKey"/>
    /// (default anvil's dev key 0), both keys, fast trigger polling and logs at Warning
    /// (<c>STO_TEST_LOG_LEVEL</c> overrides).
    /// </summary>
    /// <param name="storageConnectionString">The Azurite connection string (<c>AzureWebJobsStorage</c>).</param>
    /// <param name="rpcUrl">The node, or an <see cref="RpcFaultProxy"/> in front of it.</param>
    /// <param name="chainId">The chain id (skips the startup <c>eth_chainId</c> call).</param>
    /// <param name="signerPrivateKey">The issuer's key; a dev chain key only.</param>
    public static AppProcessOptions ForPlatform(string storageConnectionString, Uri rpcUrl, long chainId = 31337, string? signerPrivateKey = null)
    {
        var options = new AppProcessOptions();
        IDictionary<string, string?> s = options.Settings;
        s["AzureWebJobsStorage"] = storageConnectionString;
        s["Ethereum:RpcUrl"] = rpcUrl.ToString();
        s["Ethereum:ChainId"] = chainId.ToString(CultureInfo.InvariantCulture);
        s["Signer:Mode"] = "Local";
        s["Signer:LocalPrivateKey"] = signerPrivateKey ?? AnvilAccounts.PrivateKeys[0];
        s["FunctionKeys:default"] = FunctionKey;
        s["AdminKeys:master"] = AdminKey;
        s["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.300";
        s["AzureFunctionsJobHost:stoFunctions:runtime:blobPollingInterval"] = "00:00:00.300";
        s["AzureFunctionsJobHost:stoFunctions:runtime:shutdownGracePeriod"] = "00:00:01";
        string level = Environment.GetEnvironmentVariable("STO_TEST_LOG_LEVEL") ?? "Warning";
        s["Logging:LogLevel:Default"] = level;
        s["AzureFunctionsJobHost:logging:logLevel:default"] = level;
        s["AzureFunctionsJobHost:logging:logLevel:StoFunctions"] = level;
        return options;
    }
}
