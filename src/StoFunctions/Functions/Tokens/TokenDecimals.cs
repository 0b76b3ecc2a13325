using System.Collections.Concurrent;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Functions.Tokens;

/// <summary>
/// <c>decimals()</c> of the tokens this process plans transfers of, read once per token: an ERC-20's decimals are
/// fixed when it is deployed, and a single transfer's planning would otherwise spend one of its few round trips on
/// them. Only answers are kept; an address that does not answer is asked again next time (it may be deployed by then).
/// </summary>
/// <remarks>
/// A token whose deployment a reorg undid keeps its entry; the estimate of a transfer to an address without code
/// then succeeds, so this cache trades that edge (a reorg deeper than the token's deployment, after which its
/// recorded address is wrong anyway) for one <c>eth_call</c> per transfer.
/// </remarks>
public sealed class TokenDecimals(JsonRpcClient rpc)
{
    private readonly ConcurrentDictionary<Address, int> _known = new();

    /// <summary>The decimals of <paramref name="token"/>, or null when no contract there answers <c>decimals()</c>.</summary>
    public async Task<int?> GetAsync(Address token, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(token, out int known))
        {
            return known;
        }

        int? read = await TokenReads.DecimalsAsync(rpc, token, cancellationToken).ConfigureAwait(false);
        if (read is int decimals)
        {
            _known[token] = decimals;
        }

        return read;
    }
}
