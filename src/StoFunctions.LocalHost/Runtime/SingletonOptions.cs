namespace StoFunctions.Runtime;

/// <summary>
/// The blob-lease singleton lock of timer listeners, bound from host.json <c>singleton</c> with Azure
/// Functions' key names and defaults (research/azure.md §4.2).
/// </summary>
public sealed class SingletonOptions
{
    /// <summary>The configuration section (host.json <c>singleton</c>).</summary>
    public const string Section = "AzureFunctionsJobHost:singleton";

    /// <summary>The lease period of a listener lock (<c>listenerLockPeriod</c>, 15–60 s, default 60 s); renewed every half period.</summary>
    public TimeSpan ListenerLockPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an instance without the lock tries to take it (<c>listenerLockRecoveryPollingInterval</c>, default 1 min).</summary>
    public TimeSpan ListenerLockRecoveryPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal IEnumerable<string> Validate()
    {
        if (ListenerLockPeriod < TimeSpan.FromSeconds(15) || ListenerLockPeriod > TimeSpan.FromSeconds(60))
        {
            yield return $"host.json singleton.listenerLockPeriod is {ListenerLockPeriod}; a blob lease lasts 00:00:15 to 00:01:00.";
        }

        if (ListenerLockRecoveryPollingInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return $"host.json singleton.listenerLockRecoveryPollingInterval is {ListenerLockRecoveryPollingInterval}; use at least 00:00:00.100.";
        }
    }
}
