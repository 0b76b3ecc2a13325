using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Tokens;

/// <summary><c>GET /api/tokens/{token}</c> [token-status]: name, symbol, decimals, total supply, issuer balance, paused and the restriction policy, read on chain.</summary>
public static class GetToken
{
    /// <summary><c>GET /api/tokens/{token}</c>.</summary>
    [Function("GetToken")]
    public static Task<IResult> GetTokenAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string token, Platform platform, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(token, out Address address))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(token)}' is not a valid token address (0x + 40 hex digits; mixed case must pass EIP-55).", CommandEndpoint.Errors("token", "Not a valid address."));
        }

        int? decimals = await TokenReads.DecimalsAsync(platform.Rpc, address, cancellationToken).ConfigureAwait(false);
        if (decimals is not int d)
        {
            return Problems.Result(404, $"No token contract answers at {address}.");
        }

        JsonRpcClient rpc = platform.Rpc;
        string name = SecurityTokenContract.DecodeName(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.Name(), cancellationToken).ConfigureAwait(false));
        string symbol = SecurityTokenContract.DecodeSymbol(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.Symbol(), cancellationToken).ConfigureAwait(false));
        UInt256 supply = SecurityTokenContract.DecodeTotalSupply(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.TotalSupply(), cancellationToken).ConfigureAwait(false));
        UInt256 balance = await TokenReads.BalanceAsync(rpc, address, platform.Issuer, cancellationToken).ConfigureAwait(false);
        bool? paused = null;
        Policy? policy = null;
        try
        {
            paused = SecurityTokenContract.DecodePaused(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.Paused(), cancellationToken).ConfigureAwait(false));
            (bool isSet, ulong key) = SecurityTokenContract.DecodeGetKycRestrictionKey(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.GetKycRestrictionKey(), cancellationToken).ConfigureAwait(false));
            ulong[] keys = SecurityTokenContract.DecodeGetGlobalRestrictionKeys(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.GetGlobalRestrictionKeys(), cancellationToken).ConfigureAwait(false));
            var rules = new List<Rule>();
            foreach (ulong k in keys)
            {
                (Address reference, ulong value, byte type) = SecurityTokenContract.DecodeGetGlobalRestriction(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.GetGlobalRestriction(k), cancellationToken).ConfigureAwait(false));
                rules.Add(new Rule(k, TypeName(type), value, reference == Address.Zero ? null : reference.ToString()));
            }

            // Restricted means a rule is active on chain: a token restricted through POST …/restrictions has rules
            // but no named KYC key, and reporting it unrestricted would tell a client any transfer goes through.
            policy = new Policy(rules.Any(r => r.Type != "NONE") ? "restricted" : "unrestricted", isSet ? key : null, rules);
        }
        catch (Exception e) when (e is JsonRpcException or InvalidOperationException or FormatException or ArgumentException)
        {
            // A plain ERC-20 has no pause or rules: report what it has.
        }

        return Results.Json(new Status(address.ToString(), name, symbol, d, AmountText.Format(supply, d), supply.ToString(), new Holding(platform.Issuer.ToString(), AmountText.Format(balance, d), balance.ToString()), paused, policy), GetCommand.Json);
    }

    private static string TypeName(byte type) => type switch
    {
        1 => "EQ",
        2 => "NE",
        3 => "LT",
        4 => "LE",
        5 => "GT",
        6 => "GE",
        _ => "NONE",
    };

    /// <summary>The token status body.</summary>
    /// <param name="Address">EIP-55 token address.</param>
    /// <param name="Name">On-chain name.</param>
    /// <param name="Symbol">On-chain symbol.</param>
    /// <param name="Decimals">On-chain decimals.</param>
    /// <param name="TotalSupply">Total supply in token units.</param>
    /// <param name="TotalSupplyRaw">Total supply raw.</param>
    /// <param name="Issuer">The issuer's balance.</param>
    /// <param name="Paused">Whether transfers are paused (null for a plain ERC-20).</param>
    /// <param name="Policy">The restriction policy (null for a plain ERC-20).</param>
    public sealed record Status(string Address, string Name, string Symbol, int Decimals, string TotalSupply, string TotalSupplyRaw, Holding Issuer, bool? Paused, Policy? Policy);

    /// <summary>An account's balance.</summary>
    /// <param name="Address">EIP-55 address.</param>
    /// <param name="Balance">In token units.</param>
    /// <param name="Raw">Raw integer.</param>
    public sealed record Holding(string Address, string Balance, string Raw);

    /// <summary>The restriction policy.</summary>
    /// <param name="Restriction"><c>restricted</c> when any global rule is active on chain, else <c>unrestricted</c>.</param>
    /// <param name="KycKey">The KYC rule's key.</param>
    /// <param name="Rules">Global rules.</param>
    public sealed record Policy(string Restriction, ulong? KycKey, IReadOnlyList<Rule> Rules);

    /// <summary>A global rule.</summary>
    /// <param name="Key">Rule key.</param>
    /// <param name="Type">EQ/NE/LT/LE/GT/GE.</param>
    /// <param name="Value">Rule value.</param>
    /// <param name="ReferenceToken">Where values are read, null for the token itself.</param>
    public sealed record Rule(ulong Key, string Type, ulong Value, string? ReferenceToken);
}
