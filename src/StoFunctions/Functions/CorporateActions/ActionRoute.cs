using System.Globalization;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.CorporateActions;

/// <summary>
/// The front half of the corporate-action read routes (<c>GET …/payouts[/{id}]</c>, <c>GET …/ballots[/{id}]</c>):
/// parse the token and the optional id, find the token's action contract, and answer 400/404 problems for each way
/// that fails, so every such route refuses the same inputs with the same words.
/// </summary>
public static class ActionRoute
{
    /// <summary>
    /// Resolves <paramref name="token"/> and <paramref name="id"/> (null: all) for the action contract of
    /// <paramref name="kind"/> (<see cref="ActionContracts.Distributor"/> or <see cref="ActionContracts.Ballot"/>).
    /// </summary>
    /// <param name="token">The route's token address.</param>
    /// <param name="id">The route's id, or null to list all.</param>
    /// <param name="noun">What the id names (e.g. "payout"), for the error text; the id field is <c>{noun}Id</c>.</param>
    /// <param name="kind">The action contract kind.</param>
    /// <param name="createRoute">The route that deploys the contract (named in the 404).</param>
    /// <param name="chain">The issuer's chain.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The token, the contract and the id; or a problem result.</returns>
    public static async Task<(Address Token, Address Contract, ulong? Id, IResult? Problem)> ResolveAsync(
        string token, string? id, string noun, string kind, string createRoute, IssuerChain chain, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(token, out Address address))
        {
            return (default, default, null, Problems.Result(400, $"'{EchoText.Bounded(token)}' is not a valid token address (0x + 40 hex digits; mixed case must pass EIP-55).", CommandEndpoint.Errors("token", "Not a valid address.")));
        }

        ulong? one = null;
        if (id is not null)
        {
            if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed) || parsed == 0)
            {
                return (default, default, null, Problems.Result(400, $"'{EchoText.Bounded(id)}' is not a {noun} id (a positive integer).", CommandEndpoint.Errors(noun + "Id", "A positive integer.")));
            }

            one = parsed;
        }

        (Address Address, Pipeline.Ledger.TransactionState State)? found = await ActionContracts.FindAsync(chain, address, kind, cancellationToken).ConfigureAwait(false);
        if (found is null || (await chain.Rpc.GetCodeAsync(found.Value.Address, cancellationToken: cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            return (default, default, null, Problems.Result(404, $"{address} has no {kind.Replace('-', ' ')} contract deployed by this app; POST /api/tokens/{address}/{createRoute} creates one with the first {noun}."));
        }

        return (address, found.Value.Address, one, null);
    }
}
