using System.Globalization;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Lanes;

namespace StoFunctions.Composition;

/// <summary>
/// The lane keys of host.json <c>stoFunctions</c> (<c>confirmations</c>, <c>resendAfter</c>, <c>bumpAfter</c>,
/// <c>inFlightWindow</c>, <c>feeCapGwei</c>). Each key that is set replaces the chain's default
/// (<see cref="LaneOptions.DevChain"/> on development chains, <see cref="LaneOptions"/>' defaults otherwise); an
/// absent key keeps it. They are read and checked when the platform is registered, so a bad value stops the app
/// at startup with the key, the value and the allowed range instead of surfacing later in a lane.
/// </summary>
public sealed record LaneSettings
{
    /// <summary>The configuration section (host.json <c>stoFunctions</c>).</summary>
    public const string Section = "AzureFunctionsJobHost:stoFunctions";

    // K beyond a few hundred blocks is never a finality policy (Ethereum finalizes after ~64 blocks) and would keep
    // every row open for hours; a window beyond this exceeds what any node's pool keeps for one sender.
    private const int MaxConfirmations = 1_000;
    private const int MaxInFlightWindow = 4_096;

    /// <summary>Confirmations K, or null for the chain's default.</summary>
    public int? Confirmations { get; init; }

    /// <summary>Resend the same bytes after this long without a receipt, or null for the chain's default.</summary>
    public TimeSpan? ResendAfter { get; init; }

    /// <summary>Bump an underpriced attempt after this long, or null for the chain's default.</summary>
    public TimeSpan? BumpAfter { get; init; }

    /// <summary>Sent, unmined transactions allowed per sender, or null for the chain's default.</summary>
    public int? InFlightWindow { get; init; }

    /// <summary>The highest <c>maxFeePerGas</c> signed, in wei, or null for the default cap.</summary>
    public UInt256? FeeCap { get; init; }

    /// <summary>Reads and checks the keys under <see cref="Section"/>.</summary>
    /// <exception cref="InvalidOperationException">One or more values are invalid; the message names each key, its value and the allowed values.</exception>
    public static LaneSettings Read(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(Section);
        var errors = new List<string>();
        var settings = new LaneSettings
        {
            Confirmations = Whole(section, "confirmations", 1, MaxConfirmations, errors),
            ResendAfter = Duration(section, "resendAfter", errors),
            BumpAfter = Duration(section, "bumpAfter", errors),
            InFlightWindow = Whole(section, "inFlightWindow", 1, MaxInFlightWindow, errors),
            FeeCap = Gwei(section, "feeCapGwei", errors),
        };
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid lane settings in host.json: " + string.Join(" ", errors));
        }

        return settings;
    }

    /// <summary>The chain's <paramref name="defaults"/> with every key that is set replaced.</summary>
    public LaneOptions ApplyTo(LaneOptions defaults) => defaults with
    {
        Confirmations = Confirmations ?? defaults.Confirmations,
        ResendAfter = ResendAfter ?? defaults.ResendAfter,
        BumpAfter = BumpAfter ?? defaults.BumpAfter,
        InFlightWindow = InFlightWindow ?? defaults.InFlightWindow,
        Fees = FeeCap is UInt256 cap ? defaults.Fees with { MaxFeePerGasCap = cap } : defaults.Fees,
    };

    private static int? Whole(IConfigurationSection section, string key, int min, int max, List<string> errors)
    {
        if (section[key] is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"stoFunctions.{key} is '{text}'; use a whole number from {min} to {max}.");
        return null;
    }

    private static TimeSpan? Duration(IConfigurationSection section, string key, List<string> errors)
    {
        if (section[key] is not { } text)
        {
            return null;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan value) && value > TimeSpan.Zero && value <= TimeSpan.FromDays(1))
        {
            return value;
        }

        errors.Add($"stoFunctions.{key} is '{text}'; use a positive hh:mm:ss duration of at most one day (e.g. \"00:00:30\").");
        return null;
    }

    private static UInt256? Gwei(IConfigurationSection section, string key, List<string> errors)
    {
        if (section[key] is not { } text)
        {
            return null;
        }

        // The cap must leave room for the 1 gwei minimum tip of a first attempt (FeePolicy.MinPriorityFeePerGas), or
        // no transaction could ever be signed; a whole number of wei keeps the ladder's integer arithmetic exact.
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal gwei) && gwei >= 1 && gwei <= 1_000_000)
        {
            decimal wei = gwei * 1_000_000_000m;
            if (wei == decimal.Truncate(wei))
            {
                return (UInt256)(ulong)wei;
            }
        }

        errors.Add($"stoFunctions.{key} is '{text}'; use a number of gwei from 1 to 1000000 with at most 9 decimals.");
        return null;
    }
}
