using System.Globalization;
using System.Text.RegularExpressions;
using StoFunctions.Hosting;

namespace StoFunctions.LocalHost.Durable;

/// <summary>
/// host.json <c>extensions.durableTask</c> as the Functions host reads it, for the local host's backend: the
/// task hub (<c>hubName</c>, <c>%Setting%</c> resolved from app settings) and the Azure Storage provider's
/// <c>partitionCount</c>, <c>maxQueuePollingInterval</c> and concurrency limits.
/// </summary>
internal sealed partial class DurableTaskOptions
{
    /// <summary>The hub when host.json names none, or names an app setting that is not set.</summary>
    public const string DefaultHubName = "StoFunctions";

    private const string Section = FunctionsConfiguration.HostSection + ":extensions:durableTask";

    /// <summary>The task hub: its queues, tables and containers are named after it.</summary>
    public string HubName { get; private init; } = DefaultHubName;

    /// <summary>Control-queue partitions (1 to 16).</summary>
    public int PartitionCount { get; private init; } = 4;

    /// <summary>The longest wait between two polls of an idle queue; it bounds how late a timer or new work is noticed.</summary>
    public TimeSpan MaxQueuePollingInterval { get; private init; } = TimeSpan.FromSeconds(30);

    /// <summary>Activities run at once on this instance.</summary>
    public int MaxConcurrentActivityFunctions { get; private init; } = 10;

    /// <summary>Orchestration episodes run at once on this instance.</summary>
    public int MaxConcurrentOrchestratorFunctions { get; private init; } = 100;

    /// <summary>Reads the section; a value that is present but invalid stops the host with its name and value.</summary>
    public static DurableTaskOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(Section);
        string hub = section["hubName"] is { Length: > 0 } text ? Resolve(configuration, text) ?? DefaultHubName : DefaultHubName;
        if (!HubNamePattern().IsMatch(hub))
        {
            throw new InvalidDataException($"host.json extensions.durableTask.hubName resolves to '{hub}', which is not a task hub name: 3 to 45 letters and digits, starting with a letter. Set it (or the TaskHubName app setting) to e.g. \"StoFunctions\".");
        }

        IConfigurationSection provider = section.GetSection("storageProvider");
        return new DurableTaskOptions
        {
            HubName = hub,
            PartitionCount = Integer(provider, "partitionCount", 4, 1, 16),
            MaxQueuePollingInterval = provider["maxQueuePollingInterval"] is { Length: > 0 } interval
                ? TimeSpan.TryParse(interval, CultureInfo.InvariantCulture, out TimeSpan parsed) && parsed > TimeSpan.Zero
                    ? parsed
                    : throw new InvalidDataException($"host.json extensions.durableTask.storageProvider.maxQueuePollingInterval '{interval}' is not a positive hh:mm:ss duration; use e.g. \"00:00:01\".")
                : TimeSpan.FromSeconds(30),
            MaxConcurrentActivityFunctions = Integer(section, "maxConcurrentActivityFunctions", 10, 1, 1000),
            MaxConcurrentOrchestratorFunctions = Integer(section, "maxConcurrentOrchestratorFunctions", 100, 1, 1000),
        };
    }

    // "%Name%" is an app setting (unset → null), anything else literal, as the Functions host resolves binding expressions.
    private static string? Resolve(IConfiguration configuration, string value) =>
        value is ['%', .., '%'] && value.Length > 2
            ? configuration[value[1..^1].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] is { Length: > 0 } setting ? setting : null
            : value;

    private static int Integer(IConfigurationSection section, string key, int fallback, int min, int max) =>
        section[key] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max ? value
        : throw new InvalidDataException($"host.json extensions.durableTask {key} '{text}' is not an integer from {min} to {max}.");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex HubNamePattern();
}
