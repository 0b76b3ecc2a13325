using System.Text.Json.Serialization;

namespace StoFunctions.Pipeline.Commands;

/// <summary>The <c>output</c> of a command: its transactions plus named created addresses (e.g. <c>tokenAddress</c>).</summary>
public sealed record CommandOutput
{
    /// <summary>The command's transactions in nonce order.</summary>
    public required IReadOnlyList<CommandTransaction> Transactions { get; init; }

    /// <summary>Named created contract addresses (EIP-55), serialized as top-level members of <c>output</c>.</summary>
    [JsonExtensionData]
    public Dictionary<string, object> Addresses { get; init; } = [];
}
