using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Scanning;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/tokens/{token}/frozen</c> [sto token-frozen]: the token's frozen addresses. Candidates come from the
/// token's freeze events (<c>AddressFrozen</c>, <c>TokensFrozen</c>, <c>TokensUnfrozen</c>; the scanner stores
/// Transfer events only) read in block ranges from its deployment to the head; each is then confirmed with
/// <c>isFrozen</c> and <c>getFrozenTokens</c> at that head, so the answer is the chain's state, not the event
/// history (a recovery clears the lost wallet without an unfreeze event).
/// </summary>
public static class GetFrozenAddresses
{
    /// <summary><c>GET /api/tokens/{token}/frozen</c>.</summary>
    [Function("GetFrozenAddresses")]
    public static Task<IResult> GetFrozenAddressesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/frozen")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, request.HttpContext.RequestServices.GetRequiredService<Platform>(), request.HttpContext.RequestServices.GetRequiredService<ScanStore>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string tokenText, Platform platform, ScanStore scans, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(tokenText, out Address token) is { } bad)
        {
            return bad;
        }

        JsonRpcClient rpc = platform.Rpc;
        ulong head = await rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        ulong? from = await ChainLogs.FirstBlockAsync(scans, rpc, token, head, cancellationToken).ConfigureAwait(false);
        if (from is null)
        {
            return ReadProblems.NoContract(token, "token");
        }

        List<LogEntry> logs = await ChainLogs.GetAsync(rpc, token, [SecurityTokenContract.AddressFrozenTopic, SecurityTokenContract.TokensFrozenTopic, SecurityTokenContract.TokensUnfrozenTopic], from.Value, head, cancellationToken).ConfigureAwait(false);
        // The last event per account says when (and by which transaction) its freeze last changed.
        var last = new Dictionary<Address, LogEntry>();
        foreach (LogEntry log in logs)
        {
            last[Address.FromBytes(log.Topics[1].ToArray().AsSpan(12))] = log;
        }

        Address[] candidates = [.. last.Keys.Order()];
        byte[]?[] frozen = await ActionReads.CallManyAsync(rpc, [.. candidates.Select(a => (token, SecurityTokenContract.IsFrozen(a)))], head, cancellationToken).ConfigureAwait(false);
        byte[]?[] partial = await ActionReads.CallManyAsync(rpc, [.. candidates.Select(a => (token, SecurityTokenContract.GetFrozenTokens(a)))], head, cancellationToken).ConfigureAwait(false);
        int decimals = await TokenReads.DecimalsAsync(rpc, token, cancellationToken).ConfigureAwait(false) ?? 0;
        var entries = new List<FrozenAddress>();
        for (int i = 0; i < candidates.Length; i++)
        {
            if (frozen[i] is not { Length: >= 32 } f || partial[i] is not { Length: >= 32 } p)
            {
                return ReadProblems.NotAnswering(token, "token", "isFrozen/getFrozenTokens", candidates[i]);
            }

            bool isFrozen = SecurityTokenContract.DecodeIsFrozen(f);
            UInt256 tokens = SecurityTokenContract.DecodeGetFrozenTokens(p);
            if (isFrozen || !tokens.IsZero)
            {
                LogEntry change = last[candidates[i]];
                entries.Add(new FrozenAddress(candidates[i].ToString(), isFrozen, AmountText.Format(tokens, decimals), tokens.ToString(), change.BlockNumber, change.TransactionHash?.ToString()));
            }
        }

        return Results.Json(new FrozenList(token.ToString(), from.Value, head, entries), GetCommand.Json);
    }

    /// <summary>The answer.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="FromBlock">First block whose events were read (the token's deployment).</param>
    /// <param name="AtBlock">The head the events were read to and the state confirmed at.</param>
    /// <param name="Frozen">Addresses frozen whole or with frozen tokens, by address.</param>
    public sealed record FrozenList(string Token, ulong FromBlock, ulong AtBlock, IReadOnlyList<FrozenAddress> Frozen);

    /// <summary>One frozen address.</summary>
    /// <param name="Address">EIP-55 address.</param>
    /// <param name="Frozen"><c>isFrozen</c>: no transfer from or to it.</param>
    /// <param name="FrozenTokens"><c>getFrozenTokens</c> in token units (a partial freeze).</param>
    /// <param name="FrozenTokensRaw">The same, raw.</param>
    /// <param name="LastChangeBlock">Block of the last freeze event of the address.</param>
    /// <param name="TransactionHash">That event's transaction.</param>
    public sealed record FrozenAddress(string Address, bool Frozen, string FrozenTokens, string FrozenTokensRaw, ulong? LastChangeBlock, string? TransactionHash);
}
