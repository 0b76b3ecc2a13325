using Microsoft.DurableTask.Client;
using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Kyc;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.Issuer;

/// <summary>
/// <c>POST /api/tokens/{token}/restrictions</c> <c>{ key, type (EQ/NE/LT/LE/GT/GE/NONE), value, referenceToken? }</c>:
/// set a global rule, or delete it with NONE. <c>key</c> is a u64 or <c>KYC</c>.
/// </summary>
public sealed class SetRestriction(IssuerChain chain) : TokenControl(chain)
{
    private static readonly string[] s_types = ["NONE", "EQ", "NE", "LT", "LE", "GT", "GE"];

    /// <inheritdoc />
    public override string Name => "restriction";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["key", "type", "value", "referenceToken"];

    /// <summary><c>POST /api/tokens/{token}/restrictions</c>.</summary>
    [Function("SetRestriction")]
    public static Task<IResult> SetRestrictionAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/restrictions")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "restriction", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        ulong key = 0;
        JsonElement? k = reader.Member("key");
        string keyText = k is { ValueKind: JsonValueKind.Number } ? k.Value.GetRawText() : k is { ValueKind: JsonValueKind.String } ? k.Value.GetString()! : "";
        if (k is null)
        {
            reader.Add("key", "Required: \"KYC\" or an integer key.");
        }
        else if (!SetKycEntries.TryParseKey(keyText, out key))
        {
            reader.Add("key", $"'{EchoText.Bounded(keyText)}' is not a key; use \"KYC\" or an integer from 0 to 2^64-1.");
        }

        string? type = reader.String("type", maxLength: 4);
        int typeIndex = type is null ? -1 : Array.IndexOf(s_types, type.ToUpperInvariant());
        if (type is not null && typeIndex < 0)
        {
            reader.Add("type", $"'{EchoText.Bounded(type)}' is not a type; use one of {string.Join(", ", s_types)}.");
        }

        // u64 like the contract's rule values (seed 003 uses the full range).
        ulong value = reader.UInt64("value", 0, ulong.MaxValue, required: typeIndex > 0) ?? 0;
        Address reference = reader.Member("referenceToken") is null ? Address.Zero : reader.Address("referenceToken") ?? Address.Zero;
        if (reference == token)
        {
            reader.Add("referenceToken", "A rule cannot reference the token itself; omit referenceToken for the token's own values.");
        }

        return Task.FromResult((SecurityTokenContract.SetGlobalRestriction(key, reference, value, (byte)Math.Max(typeIndex, 0)), $"set rule {key}"));
    }
}
