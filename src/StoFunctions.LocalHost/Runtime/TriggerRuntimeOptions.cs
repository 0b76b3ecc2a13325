namespace StoFunctions.Runtime;

/// <summary>
/// Knobs of our trigger runtime that Azure Functions has no host.json key for, bound from host.json
/// <c>stoFunctions.runtime</c>. The host id follows Functions: <c>AzureFunctionsWebHost__hostid</c> wins.
/// </summary>
public sealed class TriggerRuntimeOptions
{
    /// <summary>The configuration section (host.json <c>stoFunctions.runtime</c>).</summary>
    public const string Section = "AzureFunctionsJobHost:stoFunctions:runtime";

    /// <summary>The setting Azure Functions reads the host id from (environment <c>AzureFunctionsWebHost__hostid</c>).</summary>
    public const string HostIdSetting = "AzureFunctionsWebHost:hostid";

    /// <summary>
    /// Names this app's locks, receipts and timer status in <c>azure-webjobs-hosts</c>. Every instance of one app
    /// must share it; two apps on one storage account must not (Functions' rule). Lowercase, ≤ 32 characters.
    /// </summary>
    public string HostId { get; set; } = "stofunctions";

    /// <summary>The setting holding the storage connection string the triggers use (Functions: <c>AzureWebJobsStorage</c>).</summary>
    public string StorageConnection { get; set; } = "AzureWebJobsStorage";

    /// <summary>
    /// How long a dequeued message stays invisible while its handler runs; renewed every half period. Functions
    /// hard-codes 10 minutes, so a crashed instance's messages come back after at most this long.
    /// </summary>
    public TimeSpan MessageLeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a blob function lists its container (Functions' listing poll runs every 10 s).</summary>
    public TimeSpan BlobPollingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On host stop, how long in-flight handlers may run before they are cancelled.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// The longest one invocation may run before its token is cancelled and it counts as failed; from host.json
    /// <c>functionTimeout</c> (null for <c>-1</c> or unset), as the Functions host does for every trigger.
    /// </summary>
    public TimeSpan? FunctionTimeout { get; set; }

    /// <summary>A token for one invocation: cancelled by <paramref name="stop"/> or after <see cref="FunctionTimeout"/>.</summary>
    internal CancellationTokenSource StartInvocation(CancellationToken stop)
    {
        var invocation = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (FunctionTimeout is TimeSpan timeout)
        {
            invocation.CancelAfter(timeout);
        }

        return invocation;
    }

    internal IEnumerable<string> Validate()
    {
        if (FunctionTimeout is TimeSpan timeout && timeout <= TimeSpan.Zero)
        {
            yield return $"host.json functionTimeout is {timeout}; use a positive hh:mm:ss duration or -1 for none.";
        }

        if (string.IsNullOrEmpty(HostId) || HostId.Length > 32 || HostId.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            yield return $"The host id '{HostId}' must be 1–32 lowercase letters, digits or '-' (set AzureFunctionsWebHost__hostid or stoFunctions.runtime.hostId).";
        }

        if (MessageLeaseDuration < TimeSpan.FromSeconds(2) || MessageLeaseDuration > TimeSpan.FromDays(7))
        {
            yield return $"host.json stoFunctions.runtime.messageLeaseDuration is {MessageLeaseDuration}; use 00:00:02 to 7 days (renewed at half).";
        }

        if (BlobPollingInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return $"host.json stoFunctions.runtime.blobPollingInterval is {BlobPollingInterval}; use at least 00:00:00.100.";
        }

        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            yield return $"host.json stoFunctions.runtime.shutdownGracePeriod is {ShutdownGracePeriod}; it must not be negative.";
        }
    }
}
