using StoFunctions.Composition;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// Gas limits of planned transactions: the node's <c>eth_estimateGas</c> for the call as the issuer would send it,
/// plus <see cref="WithMargin"/>, capped by the head block's gas limit. Never a fixed constant: the same transfer
/// costs ~55k before a snapshot and ~150k (158k with a module) to a new holder after one, since the first write of
/// each account in a snapshot period also records its balance. A call that would revert is refused at planning
/// with the contract's decoded error (<see cref="ContractErrors"/>), so nothing is written or sent for it.
/// </summary>
public static class GasLimits
{
    /// <summary>
    /// Gas added for the 32-byte business-key tag appended to every transaction's call data at allocation, after
    /// the estimate was taken: at most 32 × 16 = 512 gas of calldata (EIP-2028), rounded up. A transaction that
    /// runs almost no code (an ETH payment) is priced by EIP-7623's calldata floor instead, up to 32 × 40 = 1,280
    /// for the tag; the 20 % of its ≥ 21,000 estimate covers that.
    /// </summary>
    public const ulong TagAllowance = 600;

    /// <summary>
    /// The limit for an estimate: +20 % (state can change between planning and mining, e.g. a snapshot taken
    /// meanwhile makes the next write of each account cost ~20k more, and EIP-150's 63/64 rule makes calls into
    /// modules need headroom above what they use) plus <see cref="TagAllowance"/>, capped by the block gas limit.
    /// </summary>
    public static ulong WithMargin(ulong estimate, ulong blockGasLimit) =>
        Math.Min(estimate + (estimate / 5) + TagAllowance, blockGasLimit);

    /// <summary>The limit of one call sent by the issuer, or 0 with an error on <paramref name="field"/> when it would revert.</summary>
    public static async Task<ulong> EstimateAsync(IssuerChain chain, InputReader reader, string field, CallRequest call, string what, CancellationToken cancellationToken) =>
        (await EstimateManyAsync(chain, reader, [(field, call, what)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// The limits of many calls sent by the issuer, estimated in JSON-RPC batches (see
    /// <see cref="JsonRpcClient.EstimateGasManyAsync"/>). A call that would revert gets 0 and an error on its field
    /// naming the decoded reason.
    /// </summary>
    public static async Task<ulong[]> EstimateManyAsync(IssuerChain chain, InputReader reader, IReadOnlyList<(string Field, CallRequest Call, string What)> calls, CancellationToken cancellationToken)
    {
        var limits = new ulong[calls.Count];
        if (calls.Count == 0)
        {
            return limits;
        }

        Task<ulong> blockGasLimit = chain.GasLimit.GetAsync(cancellationToken);
        IReadOnlyList<GasEstimate> estimates = await chain.Rpc.EstimateGasManyAsync([.. calls.Select(c => c.Call with { From = chain.Issuer })], cancellationToken: cancellationToken).ConfigureAwait(false);
        ulong cap = await blockGasLimit.ConfigureAwait(false);
        for (int i = 0; i < calls.Count; i++)
        {
            if (estimates[i].Succeeded)
            {
                limits[i] = WithMargin(estimates[i].Gas, cap);
            }
            else
            {
                new InputReader(default, reader.Errors).Add(calls[i].Field, Refusal(calls[i].What, estimates[i].Error!));
            }
        }

        return limits;
    }

    /// <summary>What a refused estimate means for the user: the decoded revert (with a hint for common ones) or the node's message.</summary>
    public static string Refusal(string what, JsonRpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!error.TryGetRevertData(out byte[] data))
        {
            return $"The node refused to estimate the {what}: {error.RpcMessage}; nothing was planned or sent.";
        }

        RevertReason reason = ContractErrors.Decode(data);
        return $"The {what} would revert on chain with {reason}; nothing was planned or sent." + Hint(reason);
    }

    private static string Hint(RevertReason reason) => (reason.Error?.Name, reason.Arguments) switch
    {
        ("ReceiverRestricted", [Address account, var key]) => $" {account} fails the token's rule for key {key} (e.g. it is not KYC-whitelisted); add it to the KYC registry first.",
        ("SenderRestricted", [Address account, var key]) => $" {account} fails the token's rule for key {key}; fix its restriction value first.",
        ("SenderFrozen" or "ReceiverFrozen", [Address account]) => $" {account} is frozen; unfreeze it first (POST …/freezes with frozen: false).",
        ("EnforcedPause", _) => " The token is paused; POST …/unpause first.",
        ("ERC20InsufficientBalance", [Address account, var balance, var needed]) => $" {account} holds {balance} raw units but {needed} are needed.",
        ("AccessControlUnauthorizedAccount", [Address account, byte[] role]) => $" {account} lacks role {Hex.Encode(role)} on this contract.",
        _ => "",
    };
}
