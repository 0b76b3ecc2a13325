using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Kyc;

/// <summary>
/// <c>GET /api/kyc-registries/{registry}/entries/{address}?key=KYC</c> [sto kyc-show]: an address's restriction
/// value under one key, read on chain (<c>getAddressRestriction</c>; <c>set: false</c> and <c>value: null</c> when never set). The registry may also be a
/// restricted token that keeps its own values.
/// </summary>
public static class GetKycEntry
{
    /// <summary><c>GET /api/kyc-registries/{registry}/entries/{address}</c>.</summary>
    [Function("GetKycEntry")]
    public static Task<IResult> GetKycEntryAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "kyc-registries/{registry}/entries/{address}")] HttpRequest request, string registry, string address, CancellationToken cancellationToken) =>
        HandleAsync(registry, address, request.Query["key"].FirstOrDefault(), request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string registryText, string addressText, string? keyText, Platform platform, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Address.TryParse(registryText, out Address registry))
        {
            errors["registry"] = [$"'{EchoText.Bounded(registryText)}' is not a valid address (mixed case must pass EIP-55)."];
        }

        if (!Address.TryParse(addressText, out Address account))
        {
            errors["address"] = [$"'{EchoText.Bounded(addressText)}' is not a valid address (mixed case must pass EIP-55)."];
        }

        ulong key = IssueToken.KycKey;
        if (keyText is not null && !SetKycEntries.TryParseKey(keyText, out key))
        {
            errors["key"] = [$"'{EchoText.Bounded(keyText)}' is not a key; use \"KYC\" or an integer from 0 to 2^64-1."];
        }

        if (errors.Count > 0)
        {
            return Problems.Result(400, "The KYC entry read is invalid: " + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }

        byte[] output;
        try
        {
            output = await TokenReads.CallAsync(platform.Rpc, registry, KycRegistryContract.GetAddressRestriction(key, account), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException)
        {
            output = [];
        }

        if (output.Length < 32)
        {
            return Problems.Result(404, $"No KYC registry answers getAddressRestriction at {registry}; pass the address kyc-deploy returned (output.registryAddress) or a restricted token.",
                CommandEndpoint.Errors("registry", "Not a KYC registry."));
        }

        // The registry answers UNSET (2^64-1) for an address never set; that is no value, not a huge one.
        ulong value = KycRegistryContract.DecodeGetAddressRestriction(output);
        bool set = value != ulong.MaxValue;
        return Results.Json(new { registry = registry.ToString(), address = account.ToString(), key, keyName = key == IssueToken.KycKey ? "KYC" : null, set, value = set ? value : (ulong?)null }, GetCommand.Json);
    }
}
